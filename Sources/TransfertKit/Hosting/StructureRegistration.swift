import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What an operator types to register an establishment, before validation.
public struct NewStructure: Sendable {
    /// The id to use; `nil` takes the smallest id above the current maximum.
    public var baseID: Int64?
    public var guid: UUID?
    public var zoneID: Int64
    public var uai: String?
    public var localisation: String
    public var denomination: String
    public var contactNom: String
    public var contactPrenom: String
    public var contactCourriel: String
    /// `nil` means today.
    public var inscriptionDate: CalendarDate?

    public init(
        baseID: Int64? = nil, guid: UUID? = nil, zoneID: Int64 = 1, uai: String?, localisation: String,
        denomination: String, contactNom: String, contactPrenom: String, contactCourriel: String,
        inscriptionDate: CalendarDate? = nil
    ) {
        self.baseID = baseID
        self.guid = guid
        self.zoneID = zoneID
        self.uai = uai
        self.localisation = localisation
        self.denomination = denomination
        self.contactNom = contactNom
        self.contactPrenom = contactPrenom
        self.contactCourriel = contactCourriel
        self.inscriptionDate = inscriptionDate
    }
}

/// Every rule an input breaks, listed together so the operator fixes them in one go.
public struct StructureValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Each with its field (``ProblemLocation/field``, the registry's name: `uai`, `contact_courriel`…) and a
    /// sentence that starts with it (`uai: …`).
    public var problems: [Problem]
    /// What did not happen: `added` (`structure add`) or `changed` (`structure edit`).
    public var outcome: String = "added"

    public var description: String {
        "the establishment was not \(outcome):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension Hosting {
    /// Validates `input`, registers the establishment, and creates its empty database (from the
    /// application profile's schema) and its files directory. Nothing is left behind on failure.
    @discardableResult
    public func addStructure(_ input: NewStructure) throws -> Structure {
        var structure = try validate(input)
        if input.baseID == nil {
            structure = try registry.insertWithNewID(structure, isFree: try freeIDTest())
        } else {
            try Self.mapRegistryError { try registry.insert(structure) }
        }
        do {
            try establishments.create(baseID: structure.baseID, schema: profile.databaseSchema)
            try establishments.write(baseID: structure.baseID) { writer in
                let version = profile.schemaVersion
                try writer.makeInserter(table: version.table, columns: [version.keyColumn, version.valueColumn])
                    .insert([.text(version.key), .text(version.current)])
            }
            try FileManager.default.createDirectory(
                at: filesDirectory(baseID: structure.baseID),
                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            try? establishments.remove(baseID: structure.baseID)
            try? registry.removeStructure(baseID: structure.baseID, journal: nil)
            throw error
        }
        return structure
    }

    /// Checks every field of `input` against the registry rules (``StructureRules``, the import's too),
    /// reporting all problems at once.
    public func validate(_ input: NewStructure) throws -> Structure {
        try validate(input, editing: nil)
    }

    /// The same checks for a new establishment (`editing` nil) or for new details of establishment
    /// `editing`, whose own UAI is not "already hosted" by itself.
    func validate(_ input: NewStructure, editing: Int64?) throws -> Structure {
        let rules = StructureRules(hosting: self)
        var problems: [Problem] = []
        func report(_ field: String, _ violation: StructureRuleViolation?) {
            guard let violation else { return }
            problems.append(.field(field, code: violation.code(for: .command), violation.message(for: .command)))
        }
        func required(_ value: String, _ field: String) -> String {
            let (trimmed, violation) = rules.required(value)
            report(field, violation)
            return trimmed
        }
        let localisation = required(input.localisation, "localisation")
        let denomination = required(input.denomination, "denomination")
        let contactNom = required(input.contactNom, "contact_nom")
        let contactPrenom = required(input.contactPrenom, "contact_prenom")

        var uai: UAI?
        if let text = input.uai, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            switch rules.uai(text) {
            case .success(let valid):
                uai = valid
                // An establishment keeping its own UAI is not "already hosted" by itself.
                let taken = try rules.uaiIsFree(valid)
                if case .uaiHosted(_, let holder)? = taken, holder.baseID == editing {} else { report("uai", taken) }
            case .failure(let violation):
                report("uai", violation)
            }
        }
        var email: EmailAddress?
        switch rules.email(input.contactCourriel) {
        case .success(let valid): email = valid
        case .failure(let violation): report("contact_courriel", violation)
        }
        report("zone_id", try rules.zone(input.zoneID))
        if let id = input.baseID {
            report("base_id", try rules.baseID(id))
        }
        if let guid = input.guid, let existing = try registry.structure(guid: guid) {
            problems.append(
                .field(
                    "guid", code: .structureTaken,
                    RegistryError.duplicateGUID(guid, hostedBy: existing.baseID).description))
        }
        guard problems.isEmpty, let email else {
            throw StructureValidationError(problems: problems, outcome: editing == nil ? "added" : "changed")
        }
        return Structure(
            baseID: input.baseID ?? 0, guid: input.guid ?? UUID(), zoneID: input.zoneID, uai: uai,
            localisation: localisation, denomination: denomination, contactNom: contactNom,
            contactPrenom: contactPrenom, contactCourriel: email,
            inscriptionDate: input.inscriptionDate ?? .today())
    }

    /// Turns a registry refusal that raced past ``validate(_:)`` into the same field-level error.
    private static func mapRegistryError<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RegistryError {
            let field: String
            var code = ProblemCode.structureTaken
            switch error {
            case .duplicateBaseID: field = "base_id"
            case .duplicateUAI: field = "uai"
            case .duplicateGUID: field = "guid"
            case .unknownZone:
                field = "zone_id"
                code = .structureInvalidValue
            default: throw error
            }
            throw StructureValidationError(problems: [.field(field, code: code, error.description)])
        }
    }
}

extension StructureValidationError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .structureInvalid }
}
