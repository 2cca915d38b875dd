/// PostgreSQL's quoting of names and of text literals, for the statements that cannot take a parameter
/// (`CREATE DATABASE`, `CREATE ROLE … PASSWORD`, `COMMENT ON`).
package enum PostgreSQLQuoting {
    /// `"name"`, a double quote inside doubled.
    package static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `'text'`, a quote inside doubled. Standard strings (the default since PostgreSQL 9.1) take
    /// backslashes as they are. Text holding NUL cannot be a literal: the caller checks.
    package static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
