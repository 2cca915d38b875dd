import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension LetterVariables {
    /// The variables of an establishment of `hosting`, for ``LetterWriter``, which holds the whole hosting;
    /// they need only its registry, its configuration and the establishment's files directory
    /// (``init(structure:registry:configuration:filesDirectory:today:)``).
    package init(structure: Structure, hosting: Hosting, today: Date = Date()) throws {
        try self.init(
            structure: structure, registry: hosting.registry, configuration: hosting.configuration,
            filesDirectory: hosting.filesDirectory(baseID: structure.baseID), today: today)
    }
}
