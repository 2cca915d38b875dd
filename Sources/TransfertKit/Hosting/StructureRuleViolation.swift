import TransfertFormats
import TransfertModel
import TransfertStorage

/// A rule of ``StructureRules`` an establishment's field breaks, as a value: the decision is taken once,
/// and each way in says it in its reader's words — `structure add` names registry fields and its options,
/// an import names CSV columns and what to change in the file.
enum StructureRuleViolation: Error {
    case required
    /// The UAI's own refusal, in words.
    case invalidUAI(String)
    case uaiHosted(UAI, by: Structure)
    /// The address's own refusal, in words.
    case invalidEmail(String)
    case unknownZone(Int64)
    case idNotPositive(Int64)
    case idRegistered(Int64, by: Structure)
    case idMovedAway(ConfirmedMove)
    case idTakenOnDisk(Int64, location: String)

    /// Who reads the sentence.
    enum Reader {
        /// `structure add`: registry field names, its options.
        case command
        /// An import's CSV row: its columns, blanks that let the server choose.
        case csvRow
    }

    /// The code: a field that breaks a rule, or one whose value is taken here already.
    func code(for reader: Reader) -> ProblemCode {
        switch (self, reader) {
        case (.required, .command): return .structureRequired
        case (.required, .csvRow): return .csvRequired
        case (.uaiHosted, .command), (.idRegistered, .command), (.idMovedAway, .command), (.idTakenOnDisk, .command):
            return .structureTaken
        case (_, .command): return .structureInvalidValue
        case (_, .csvRow): return .csvInvalidValue
        }
    }

    func message(for reader: Reader) -> String {
        switch (self, reader) {
        case (.required, _):
            return "is required"
        case (.invalidUAI(let reason), _):
            return reason
        case (.uaiHosted(let uai, let existing), .command):
            return "\(uai) is already hosted here (establishment \(existing.baseID))"
        case (.uaiHosted(_, let existing), .csvRow):
            return "is already hosted here (establishment \(existing.baseID), \(existing.displayName))"
        case (.invalidEmail(let reason), _):
            return reason
        case (.unknownZone(let id), .command):
            return RegistryError.unknownZone(id).description
        case (.unknownZone(let id), .csvRow):
            return
                "zone \(id) does not exist on this server: create it (transfert zone add) or use an existing zone (transfert zone list)"
        case (.idNotPositive(let id), .command):
            return "must be a positive integer, not \(id)"
        case (.idNotPositive, .csvRow):
            return "must be a positive integer, or blank to let this server choose a free id"
        case (.idRegistered(let id, _), .command):
            return RegistryError.duplicateBaseID(id).description
        case (.idRegistered(let id, let existing), .csvRow):
            return
                "id \(id) is already used here by \(existing.displayName): leave Id_Import blank, or choose a free id"
        case (.idMovedAway(let move), .command):
            return move.idNotGivenAgain + "; choose another id"
        case (.idMovedAway(let move), .csvRow):
            return move.idNotGivenAgain + ": leave Id_Import blank, or choose another id"
        case (.idTakenOnDisk(let id, let location), .command):
            return
                "id \(id) is taken by what is already there (\(location), or files/\(id)) with no registered establishment: see `transfert doctor`, or choose another id"
        case (.idTakenOnDisk(let id, let location), .csvRow):
            return
                "id \(id) is taken by what is already there (\(location), or files/\(id)) with no registered establishment (see transfert doctor): choose another id"
        }
    }
}
