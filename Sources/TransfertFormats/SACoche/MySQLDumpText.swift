import Foundation
import TransfertModel

/// Writes SQL as SACoche's dump writer does (FORMAT.md §4, `Docs/sacoche.md`): `CREATE TABLE` as MySQL 5
/// `SHOW CREATE TABLE` prints it with every backquote removed, and values rendered by the 2017 rules of
/// `formater_valeur`.
public enum MySQLDumpText {
    /// `CREATE TABLE t (…) ENGINE=… ;` without the final `;`: inner lines end in LF, as MySQL prints them.
    /// `autoIncrement` is the table's counter (`AUTO_INCREMENT=n`, written when above 1); `baseID` names
    /// the establishment in a refusal.
    public static func createTable(_ table: TableSchema, autoIncrement: Int64?, baseID: Int64) throws -> String {
        guard let mysql = table.mysql else { throw SACocheExportError.notMySQL(table: table.name) }
        do {
            return try MySQLCreateTable.render(table, mysql, autoIncrement: autoIncrement, style: style)
        } catch let error as MySQLCreateTableError {
            switch error {
            case .columnsNotDeclared(let table):
                throw SACocheExportError.notMySQL(table: table)
            case .keyNotOnPlainColumns(let table, let index):
                throw SACocheExportError.cannotCarry(
                    baseID: baseID, table: table, what: Self.keyNotOnPlainColumns(index))
            case .engineNotAllowed(let table, let engine, _):
                throw SACocheExportError.cannotCarry(baseID: baseID, table: table, what: "ENGINE=\(engine)")
            }
        }
    }

    /// What ``SACocheExportError/cannotCarry(baseID:table:what:)`` says of an index no MySQL key can say.
    package static func keyNotOnPlainColumns(_ index: String) -> String {
        "index \(index) (on an expression, with a collation or a WHERE clause; a MySQL key is on plain columns only)"
    }

    /// MySQL 5's `SHOW CREATE TABLE` with every backquote removed, and the defaults of SACoche's tables
    /// (MyISAM, utf8).
    public static let style = MySQLCreateTable.Style(
        identifiers: .bare, keyColumnSeparator: ",", columnCollation: .unlessGeneral, defaults: .asShown,
        literals: .asShown,
        defaultEngine: "MyISAM", defaultCharset: "utf8", allowedEngines: nil)

    /// Appends one value rendered as `formater_valeur` (≥ 2017-05-15) does: NULL; an ASCII-digit string
    /// without a leading zero, or `0`, bare; anything else in double quotes with only `\` and `"` escaped,
    /// every other byte (CR, LF, TAB…) written raw. Before quoting, it is ``MySQLLiteral/init(of:at:)``.
    public static func appendValue(of row: some RawRow, at index: Int, to buffer: inout [UInt8]) {
        switch row.kind(at: index) {
        case .null:
            buffer.append(contentsOf: "NULL".utf8)
        case .integer:
            let value = row.integer(at: index)
            if value >= 0 {
                buffer.append(contentsOf: String(value).utf8)
            } else {
                appendQuoted(Array(String(value).utf8), to: &buffer)
            }
        case .real:
            appendQuoted(Array(MySQLLiteral.realText(row.real(at: index)).utf8), to: &buffer)
        case .text, .blob:
            row.withBytes(at: index) { bytes in
                if isBareNumber(bytes) { buffer.append(contentsOf: bytes) } else { appendQuoted(bytes, to: &buffer) }
            }
        }
    }

    static func isBareNumber(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return first != 0x30 || bytes.count == 1
    }

    static func appendQuoted(_ bytes: some Sequence<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(0x22)
        for byte in bytes {
            if byte == 0x5C || byte == 0x22 { buffer.append(0x5C) }
            buffer.append(byte)
        }
        buffer.append(0x22)
    }

    /// Rows per file for `table` (FORMAT.md §4): `packet` rows, divided for the tables SACoche splits finer.
    public static func rowsPerFile(table: String, packet: Int) -> Int {
        let divisors: [String: Int] = [
            "sacoche_officiel_archive_image": 500, "sacoche_livret_export": 200, "sacoche_officiel_archive": 200,
            "sacoche_image": 100, "sacoche_livret_saisie_memo_detail": 20, "sacoche_user": 4, "sacoche_notification": 4,
            "sacoche_livret_saisie": 2, "sacoche_officiel_saisie": 2,
        ]
        if table == "sacoche_siecle_import" { return 1 }
        return max(1, packet / (divisors[table] ?? 1))
    }
}
