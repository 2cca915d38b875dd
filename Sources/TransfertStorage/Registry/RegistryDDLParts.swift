import TransfertFormats
import TransfertModel

/// Pieces a dialect adds to a `CREATE TABLE`: column definitions and constraints inside it, statements
/// after it.
package struct RegistryDDLParts: Sendable {
    package var columns: [String] = []
    package var constraints: [String] = []
    package var statementsAfter: [String] = []

    package init(columns: [String] = [], constraints: [String] = [], statementsAfter: [String] = []) {
        self.columns = columns
        self.constraints = constraints
        self.statementsAfter = statementsAfter
    }
}
