import Foundation
import TransfertModel

/// Why a SACoche-format export was refused — before anything was written.
public enum SACocheExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case notMySQL(table: String)
    case notSACocheTable(baseID: Int64, table: String)
    case cannotCarry(baseID: Int64, table: String, what: String)
    case semicolon(baseID: Int64, name: String, field: String, value: String)
    case lineBreak(baseID: Int64, name: String, field: String)
    /// Values a MySQL server in strict mode (SACoche's MariaDB) would refuse — dropping every row of
    /// the table while SACoche reports success — or store changed.
    case valuesRefused([Refusal])

    /// One establishment's refused values.
    public struct Refusal: Equatable, Sendable {
        public var baseID: Int64
        public var name: String
        /// The first ones, with table, row, column and value.
        public var problems: [MySQLValueProblem]
        /// All of them.
        public var count: Int

        /// The memberwise initialiser, written out so that the other targets of the package can call it.
        package init(baseID: Int64, name: String, problems: [MySQLValueProblem], count: Int) {
            self.baseID = baseID
            self.name = name
            self.problems = problems
            self.count = count
        }
    }

    public var description: String {
        switch self {
        case .notMySQL(let table):
            return
                "table \(table) has no MySQL declaration: --format sacoche writes SACoche bases, imported from SACoche or created with Samples/sacoche-profile.yaml"
        case .notSACocheTable(let id, let table):
            return
                "establishment \(id): table \(table) is not a SACoche table (sacoche_…): SACoche's transfer carries only those, so it would be lost. Remove it, or export in Transfert's format"
        case .cannotCarry(let id, let table, let what):
            return
                "establishment \(id): table \(table) has \(what), which a SACoche bundle cannot carry (MySQL 5 MyISAM tables): it would be lost. Export in Transfert's format instead"
        case .semicolon(let id, let name, let field, let value):
            return
                "establishment \(id) (\(name)): \(field) '\(value)' holds a ';', which SACoche's CSV cannot carry (it writes values without quoting, so the line's fields would shift). Correct it (transfert structure edit), or say what to write instead with --replace-semicolons ','"
        case .lineBreak(let id, let name, let field):
            return
                "establishment \(id) (\(name)): \(field) holds a line break, which SACoche's CSV cannot carry. Correct it first"
        case .valuesRefused(let refusals):
            var lines = [
                "nothing was written: values SACoche's MySQL server (strict mode) would refuse — dropping every row of their table — or store changed:"
            ]
            for refusal in refusals {
                lines.append(
                    "establishment \(refusal.baseID) (\(refusal.name)): \(refusal.count) value\(refusal.count == 1 ? "" : "s")"
                )
                lines += refusal.problems.map { "  \($0)" }
                if refusal.count > refusal.problems.count {
                    lines.append("  … and \(refusal.count - refusal.problems.count) more")
                }
            }
            lines.append(
                "Correct these values in the establishment's database (or widen the column), then export again; or export in Transfert's format, which carries them"
            )
            return lines.joined(separator: "\n")
        }
    }
}

extension SACocheExportError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .notMySQL: return .sacocheExportNotMySQL
        case .notSACocheTable: return .sacocheExportNotSACocheTable
        case .cannotCarry: return .sacocheExportCannotCarry
        case .semicolon: return .sacocheExportSemicolon
        case .lineBreak: return .sacocheExportLineBreak
        case .valuesRefused: return .sacocheExportValuesRefused
        }
    }
}
