import Foundation

/// Writes SQL as SACoche's dump writer does (FORMAT.md §4, `Docs/sacoche.md`): `CREATE TABLE` as MySQL 5
/// `SHOW CREATE TABLE` prints it with every backquote removed, and values rendered by the 2017 rules of
/// `formater_valeur`.
public enum MySQLDumpText {
    /// `CREATE TABLE t (…) ENGINE=… ;` without the final `;`: inner lines end in LF, as MySQL prints them.
    /// `autoIncrement` is the table's counter (`AUTO_INCREMENT=n`, written when above 1).
    public static func createTable(_ table: TableSchema, autoIncrement: Int64?) throws -> String {
        guard let mysql = table.mysql, mysql.columns.count == table.columns.count else {
            throw SACocheExportError.notMySQL(table: table.name)
        }
        var lines: [String] = []
        for (column, declared) in zip(table.columns, mysql.columns) {
            let type = try MySQLColumnType(parsing: declared.type)
            var text = "\(column.name) \(type.text)"
            if let collation = declared.collation, !collation.hasSuffix("_general_ci") { text += " COLLATE \(collation)" }
            if column.notNull { text += " NOT NULL" }
            if let value = column.defaultValue {
                text += " DEFAULT " + (value == "CURRENT_TIMESTAMP" ? value : quoted(defaultText(value)))
            } else if !column.notNull && !type.isLargeObject {
                text += " DEFAULT NULL"
            }
            if declared.onUpdateCurrentTimestamp { text += " ON UPDATE CURRENT_TIMESTAMP" }
            if declared.autoIncrement { text += " AUTO_INCREMENT" }
            if let comment = declared.comment { text += " COMMENT " + quoted(comment) }
            lines.append(text)
        }
        if !table.primaryKey.isEmpty { lines.append("PRIMARY KEY (\(table.primaryKey.joined(separator: ",")))") }
        for index in mysql.ordered(table.indexes, table: table.name) {
            let key = MySQLTableDefinition.keyName(index.name, table: table.name)
            let kind = index.unique ? "UNIQUE KEY" : mysql.fulltextKeys.contains(key) ? "FULLTEXT KEY" : "KEY"
            lines.append("\(kind) \(key) (\(index.columns.joined(separator: ",")))")
        }
        var options = "ENGINE=\(mysql.engine ?? "MyISAM")"
        if let counter = autoIncrement, counter > 1 { options += " AUTO_INCREMENT=\(counter)" }
        options += " DEFAULT CHARSET=\(mysql.charset ?? "utf8")"
        if let collation = mysql.collation { options += " COLLATE=\(collation)" }
        if let comment = mysql.comment { options += " COMMENT=" + quoted(comment) }
        return "CREATE TABLE \(table.name) (\n  " + lines.joined(separator: ",\n  ") + "\n) " + options
    }

    /// A neutral DEFAULT literal (`0`, `'text'`) as the text MySQL shows between quotes.
    static func defaultText(_ literal: String) -> String {
        guard literal.hasPrefix("'"), literal.hasSuffix("'"), literal.count >= 2 else { return literal }
        return String(literal.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
    }

    /// A literal as MySQL's `append_unescaped` writes it in `SHOW CREATE TABLE`.
    static func quoted(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": result += "''"
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\0": result += "\\0"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }

    /// Appends one value rendered as `formater_valeur` (≥ 2017-05-15) does: NULL; an ASCII-digit string
    /// without a leading zero, or `0`, bare; anything else in double quotes with only `\` and `"` escaped,
    /// every other byte (CR, LF, TAB…) written raw.
    public static func appendValue(of row: some RawRow, at index: Int, to buffer: inout [UInt8]) {
        switch row.kind(at: index) {
        case .null:
            buffer.append(contentsOf: "NULL".utf8)
        case .integer:
            let value = row.integer(at: index)
            if value >= 0 { buffer.append(contentsOf: String(value).utf8) } else { appendQuoted(Array(String(value).utf8), to: &buffer) }
        case .real:
            appendQuoted(Array(realText(row.real(at: index)).utf8), to: &buffer)
        case .text, .blob:
            row.withBytes(at: index) { bytes in
                if isBareNumber(bytes) { buffer.append(contentsOf: bytes) } else { appendQuoted(bytes, to: &buffer) }
            }
        }
    }

    /// The literal ``appendValue(of:at:to:)`` writes for a value, before quoting: what a MySQL server is
    /// given, and so what ``MySQLValueCoercion`` checks.
    public static func literal(of row: some RawRow, at index: Int) -> MySQLLiteral {
        switch row.kind(at: index) {
        case .null: return .null
        case .integer: return .number(String(row.integer(at: index)))
        case .real: return .number(realText(row.real(at: index)))
        case .text, .blob:
            return row.withBytes(at: index) { bytes in
                let array = Array(bytes)
                return String(validating: array, as: UTF8.self).map { .string($0) } ?? .bytes(array)
            }
        }
    }

    /// `12.5`, `3` (not `3.0`): how MySQL prints a double.
    static func realText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
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
