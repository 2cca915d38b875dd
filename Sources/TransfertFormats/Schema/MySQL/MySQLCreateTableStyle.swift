import Foundation
import TransfertModel

extension MySQLCreateTable {
    /// What differs between two writers of MySQL's `CREATE TABLE`: everything else is written the same.
    public struct Style: Equatable, Sendable {
        /// How a table, column or key name is written.
        public var identifiers: Identifiers
        /// Between the columns of a key: `,` (MySQL 5's `SHOW CREATE TABLE`) or `, `.
        public var keyColumnSeparator: String
        public var columnCollation: ColumnCollation
        public var defaults: Defaults
        /// How a comment (and a default shown as text) is quoted.
        public var literals: Literals
        /// Written when the table declares none.
        public var defaultEngine: String
        public var defaultCharset: String
        /// The engines a table may ask for (lower case); `nil`: any.
        public var allowedEngines: Set<String>?

        public init(
            identifiers: Identifiers, keyColumnSeparator: String, columnCollation: ColumnCollation, defaults: Defaults,
            literals: Literals, defaultEngine: String, defaultCharset: String, allowedEngines: Set<String>?
        ) {
            self.identifiers = identifiers
            self.keyColumnSeparator = keyColumnSeparator
            self.columnCollation = columnCollation
            self.defaults = defaults
            self.literals = literals
            self.defaultEngine = defaultEngine
            self.defaultCharset = defaultCharset
            self.allowedEngines = allowedEngines
        }

        public enum Identifiers: Equatable, Sendable {
            /// As written, as SACoche's dumps carry them (every backquote removed).
            case bare
            /// In backquotes, backquotes doubled.
            case backquoted
        }

        public enum ColumnCollation: Equatable, Sendable {
            /// `COLLATE x`, left out for a charset's default collation (`…_general_ci`), as MySQL 5 prints it.
            case unlessGeneral
            /// `CHARACTER SET c COLLATE x` always, the charset read from the collation's name: nothing left
            /// to the server's defaults.
            case withCharacterSet

            func clause(_ collation: String) -> String? {
                switch self {
                case .unlessGeneral:
                    return collation.hasSuffix("_general_ci") ? nil : "COLLATE \(collation)"
                case .withCharacterSet:
                    return
                        "CHARACTER SET \(collation.split(separator: "_").first.map(String.init) ?? "utf8") COLLATE \(collation)"
                }
            }
        }

        public enum Defaults: Equatable, Sendable {
            /// As `SHOW CREATE TABLE` shows them: text between quotes (`'0'`), `CURRENT_TIMESTAMP` bare,
            /// and `DEFAULT NULL` spelled out for a nullable column that is not a BLOB or TEXT.
            case asShown
            /// The neutral literal as declared (`0`, `'text'`); nothing written when there is none.
            case asDeclared

            func text(_ value: String, quoting: (String) -> String) -> String {
                switch self {
                case .asShown: return value == "CURRENT_TIMESTAMP" ? value : quoting(MySQLQuoting.unquoted(value))
                case .asDeclared: return value
                }
            }
        }

        public enum Literals: Equatable, Sendable {
            /// As MySQL's `append_unescaped` writes them in `SHOW CREATE TABLE` (``MySQLQuoting/shown(_:)``).
            case asShown
            /// Only `'` and `\` escaped (``MySQLQuoting/minimal(_:)``).
            case minimal
        }

        func identifier(_ name: String) -> String {
            switch identifiers {
            case .bare: return name
            case .backquoted: return MySQLQuoting.identifier(name)
            }
        }

        func literal(_ text: String) -> String {
            switch literals {
            case .asShown: return MySQLQuoting.shown(text)
            case .minimal: return MySQLQuoting.minimal(text)
            }
        }
    }
}
