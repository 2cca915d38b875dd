import Foundation
import TransfertFormats
import TransfertModel

/// Writes a MySQL table (a SACoche dump's, ``TableSchema/mysql``) as MariaDB runs it natively: the
/// declared column types (`mediumint(8) unsigned`, `enum(…)`), collations, `AUTO_INCREMENT`, comments,
/// every key with its MySQL name (`FULLTEXT` included), the engine and the table's charset — so that
/// `SHOW CREATE TABLE` on the new server reads as it did on the old one. The CHECK constraints the
/// neutral schema derives from the types (ranges, enum values) are the types themselves here.
enum MariaDBNativeDDL {
    /// The engines a table may ask for: the ones that keep their rows across a restart.
    static let engines: Set<String> = ["myisam", "innodb", "aria"]

    /// Quoted names, each column's charset spelled out, defaults as declared; InnoDB and utf8mb4 unless
    /// the table says otherwise.
    static let style = MySQLCreateTable.Style(
        identifiers: .backquoted, keyColumnSeparator: ", ", columnCollation: .withCharacterSet, defaults: .asDeclared,
        literals: .minimal, defaultEngine: "InnoDB", defaultCharset: "utf8mb4", allowedEngines: engines)

    static func createTable(_ table: TableSchema, _ mysql: MySQLTableDefinition) throws -> String {
        do {
            return try MySQLCreateTable.render(table, mysql, autoIncrement: mysql.autoIncrement, style: style)
        } catch let error as MySQLCreateTableError {
            switch error {
            case .columnsNotDeclared(let table):
                throw SchemaReadError(
                    object: "table \(table)", message: "its MySQL declaration does not list its columns")
            case .keyNotOnPlainColumns(let table, let index):
                throw SchemaReadError(
                    object: "index \(index) of table \(table)", message: "a MySQL key is on plain columns only")
            case .engineNotAllowed(let table, let engine, let allowed):
                throw SchemaReadError(
                    object: "table \(table)",
                    message:
                        "ENGINE=\(engine) is not one that keeps rows across a restart (\(allowed.joined(separator: ", ")))"
                )
            }
        }
    }
}
