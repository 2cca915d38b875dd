import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("UAI check letter")
struct UAITests {
    @Test("seven digits and the right check letter", arguments: ["0750001U", "0330001X", "9740001H", " 0750001u "])
    func valid(code: String) throws {
        let uai = try UAI(validating: code)
        #expect(uai.rawValue == code.trimmingCharacters(in: .whitespaces).uppercased())
    }

    @Test func wrongLetterNamesTheExpectedOne() {
        #expect(throws: UAIError.wrongCheckLetter("0750001A", expected: "U")) { try UAI(validating: "0750001A") }
    }

    @Test("RHODES form: six digits, X, letter at (n × 8 + 1) mod 23")
    func rhodes() throws {
        #expect(try UAI(validating: "123456XG").rawValue == "123456XG")
        #expect(throws: UAIError.wrongCheckLetter("123456XA", expected: "G")) { try UAI(validating: "123456XA") }
    }

    @Test("malformed codes", arguments: ["", "075000U", "07500011U", "0750001", "075 001U", "07500O1U", "0750001É"])
    func malformed(code: String) {
        #expect(throws: UAIError.self) { try UAI(validating: code) }
    }

    @Test func checkLetterHelperAgreesWithValidation() throws {
        for number in [0, 1, 22, 23, 750_001, 9_999_999] {
            let code = String(format: "%07d", number) + String(UAI.checkLetter(forSevenDigits: number))
            #expect(try UAI(validating: code).rawValue == code)
        }
    }
}

@Suite("E-mail addresses")
struct EmailAddressTests {
    @Test(arguments: [
        "helene.dupre@ac-besancon.fr", "a+b@example.org", "x@sub.domain.co.uk", "o'neil@exemple.fr", "contact@école.fr",
    ])
    func valid(address: String) throws {
        #expect(try EmailAddress(validating: address).rawValue == address)
    }

    @Test(arguments: [
        "", "plain", "a@b", "@example.org", "a@@example.org", "a..b@example.org", ".a@example.org",
        "a b@example.org", "hélène@example.org", "a@-example.org", "a@example.1", "a@example..org",
    ])
    func invalid(address: String) {
        #expect(throws: EmailAddressError.self) { try EmailAddress(validating: address) }
    }

    @Test func errorSaysWhy() {
        do {
            _ = try EmailAddress(validating: "a@b")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("needs at least one dot"))
        }
    }
}

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test func isoAndFrenchForms() throws {
        #expect(try CalendarDate(parsing: "2024-02-29").description == "2024-02-29")
        #expect(try CalendarDate(parsing: "2/9/2024").description == "2024-09-02")
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-04-31", "24-01-01", "demain", "2024-1-01", "32/01/2024"])
    func invalid(text: String) {
        #expect(throws: CalendarDateError.self) { try CalendarDate(parsing: text) }
    }
}
