import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Integers and names of `manifest.json` that no export writes: refused by name, never a trap.
@Suite("Manifest values: numbers, sums and names")
struct ManifestValidatorTests {
    /// A valid manifest of `count` establishments, as JSON objects to edit.
    func json(count: Int = 2) throws -> [String: Any] {
        var manifest = BundleManifestEncodingTests().manifest(count: count)
        for index in manifest.establishments.indices {
            manifest.establishments[index].tables = [TableDigest(table: "users", rows: 3, sha256: "")]
            manifest.establishments[index].files = [
                .init(path: "base_\(index + 1)/files/documents/Règlement intérieur.pdf", size: 10, sha256: "")
            ]
        }
        return try #require(try JSONSerialization.jsonObject(with: manifest.encoded()) as? [String: Any])
    }

    func decode(_ object: [String: Any]) throws -> BundleManifest {
        try ManifestDecoder.decode(try JSONSerialization.data(withJSONObject: object))
    }

    func edited(_ edit: (inout [String: Any]) -> Void, establishment index: Int = 0) throws -> [String: Any] {
        var object = try json()
        var list = try #require(object["establishments"] as? [[String: Any]])
        edit(&list[index])
        object["establishments"] = list
        return object
    }

    /// The refusal `ManifestDecoder` throws for `object`, checked to name `field` and `value`.
    func refusal(
        _ object: [String: Any], field: String, value: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ManifestValueError {
        do {
            _ = try decode(object)
        } catch let error as ManifestValueError {
            #expect(error.field == field, sourceLocation: sourceLocation)
            #expect(error.value == value, sourceLocation: sourceLocation)
            #expect(
                error.description.contains(field) && error.description.contains(value.debugDescription), "\(error)",
                sourceLocation: sourceLocation)
            return error
        }
        Issue.record("accepted: \(field) = \(value)", sourceLocation: sourceLocation)
        throw ManifestValueError(establishment: nil, field: "", value: "", message: "")
    }

    @Test func aValidManifestPasses() throws {
        let manifest = try decode(try json())
        #expect(manifest.establishments.count == 2)
        #expect(
            manifest.establishments[0].rows == 3 && manifest.establishments[0].filesBytes == 10
                && manifest.establishments[0].contentBytes == 22)
    }

    @Test(arguments: [("dump_bytes", Int64(-1)), ("dump_bytes", Int64.min)])
    func negativeDumpSizesAreRefused(field: String, value: Int64) throws {
        let error = try refusal(try edited { $0[field] = NSNumber(value: value) }, field: field, value: String(value))
        #expect(error.establishment == "base_1")
    }

    @Test func negativeRowCountsEntrySizesAndFileSizesAreRefused() throws {
        _ = try refusal(
            try edited { $0["tables"] = [["table": "users", "rows": -5, "sha256": ""]] }, field: "tables[0].rows",
            value: "-5")
        _ = try refusal(
            try edited { $0["entries"] = [["path": "base_1/000001.sql", "size": -12, "sha256": ""]] },
            field: "entries[0].size", value: "-12")
        _ = try refusal(
            try edited { $0["files"] = [["path": "base_1/files/a.png", "size": -1, "sha256": ""]] },
            field: "files[0].size", value: "-1")
    }

    @Test func rowCountsWhoseSumOverflowsAreRefused() throws {
        let max = NSNumber(value: Int64.max)
        let object = try edited {
            $0["tables"] = [["table": "a", "rows": max, "sha256": ""], ["table": "b", "rows": 1, "sha256": ""]]
        }
        let error = try refusal(object, field: "tables[1].rows", value: "1")
        #expect(error.message.contains("add up"))
    }

    @Test func fileSizesWhoseSumOverflowsAreRefused() throws {
        let max = NSNumber(value: Int64.max)
        _ = try refusal(
            try edited {
                $0["files"] = [
                    ["path": "base_1/files/a", "size": max, "sha256": ""],
                    ["path": "base_1/files/b", "size": max, "sha256": ""],
                ]
            },
            field: "files[1].size", value: String(Int64.max))
        // The dump and the files: each fits, their sum does not (contentBytes, what progress counts).
        _ = try refusal(try edited { $0["dump_bytes"] = max }, field: "dump_bytes", value: "10")
    }

    @Test func sumsOverTheWholeBundleThatOverflowAreRefused() throws {
        // Each establishment's rows fit; the bundle's total (inspect's and verify's summaries) does not.
        var object = try json()
        var list = try #require(object["establishments"] as? [[String: Any]])
        for index in list.indices {
            list[index]["tables"] = [["table": "a", "rows": NSNumber(value: Int64.max - 5), "sha256": ""]]
        }
        object["establishments"] = list
        let error = try refusal(object, field: "tables", value: String(Int64.max - 5))
        #expect(error.establishment == "base_2")
    }

    @Test(arguments: [
        "..", "base_1/..", "../base_1", "base_1..", "base_01", "base_2", "base_1/", "BASE_1", "base_1\u{0}", "",
    ])
    func establishmentFoldersOtherThanTheFormatsAreRefused(name: String) throws {
        let error = try refusal(try edited { $0["nom_fichier"] = name }, field: "nom_fichier", value: name)
        #expect(error.establishment == "establishments[0]")
    }

    @Test(arguments: [Int64(0), -1, Int64.min])
    func establishmentIDsThatAreNotPositiveAreRefused(id: Int64) throws {
        _ = try refusal(
            try edited {
                $0["base_id"] = NSNumber(value: id)
                $0["nom_fichier"] = "base_\(id)"
            }, field: "base_id", value: String(id))
    }

    @Test(arguments: [
        "base_1/../base_2/000001.sql", "base_1/../../000001.sql", "base_1/1.sql", "base_1/00000a.sql",
        "base_2/000001.sql",
        "base_1/000001.sql/..", "base_1/000001.SQL", "base_1/files/000001.sql",
    ])
    func chunkNamesOtherThanTheFormatsAreRefused(path: String) throws {
        _ = try refusal(
            try edited { $0["entries"] = [["path": path, "size": 12, "sha256": ""]] }, field: "entries[0].path",
            value: path)
    }

    @Test(arguments: [
        "base_1/files/../../evil.txt", "base_1/files/..", "base_1/files/a/../b", "base_1/files/./a", "base_1/files//a",
        "base_1/files/", "base_1/files/a\\..\\b", "base_1/files/a\u{7}", "base_1/evil.txt", "../base_1/files/a",
        "base_2/files/a",
    ])
    func uploadNamesOtherThanTheFormatsAreRefused(path: String) throws {
        _ = try refusal(
            try edited { $0["files"] = [["path": path, "size": 1, "sha256": ""]] }, field: "files[0].path", value: path)
    }

    @Test func uploadNamesWithDotsInsideAComponentAreNames() throws {
        // `..` as part of a name is not a way out: "notes..txt" and "...", a file a teacher may well upload.
        let manifest = try decode(
            try edited {
                $0["files"] = [
                    ["path": "base_1/files/notes..txt", "size": 1, "sha256": ""],
                    ["path": "base_1/files/a/.../b", "size": 1, "sha256": ""],
                ]
            })
        #expect(manifest.establishments[0].files.count == 2)
    }

    @Test(arguments: ["1.5", "1e400", "9223372036854775808", "-9223372036854775809", "1E19", "0.0000001"])
    func integersThatAreNot64BitIntegersAreNamed(token: String) throws {
        var object = try json()
        var list = try #require(object["establishments"] as? [[String: Any]])
        list[1]["tables"] = [["table": "users", "rows": "@@TOKEN@@", "sha256": ""]]
        object["establishments"] = list
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            .replacingOccurrences(of: "\"@@TOKEN@@\"", with: token)
        do {
            _ = try ManifestDecoder.decode(Data(text.utf8))
            Issue.record("accepted rows = \(token)")
        } catch let error as ManifestValueError {
            #expect(
                error.establishment == "establishments[1]" && error.field == "rows" && error.value == token, "\(error)")
        }
    }

    @Test func theRefusalReachesTheOperatorThroughTheArchiveError() throws {
        let error = BundleReadError.invalidManifest(
            "/x/bundle.zip",
            reason: ManifestValueError(
                establishment: "base_1", field: "tables[0].rows", value: "-5",
                message: "a row count cannot be negative"
            ).description)
        #expect(
            error.description.contains(
                "/x/bundle.zip: manifest.json is invalid (establishment base_1, tables[0].rows = \"-5\""), "\(error)")
    }
}

@Suite("Integers that do not fit: sums and free ids")
struct IntegerLimitTests {
    @Test func checkedAndSaturatingSums() {
        #expect([Int64.max, 1].checkedSum() == nil)
        #expect([Int64.max - 1, 1].checkedSum() == Int64.max)
        #expect([Int64.min, -1].checkedSum() == nil)
        #expect([Int64.max, 1, -5].saturatingSum() == Int64.max - 5)
        #expect([Int64.min, -1].saturatingSum() == Int64.min)
        #expect(Int64.max.saturatingAdding(Int64.max) == Int64.max)
    }

    @Test func freeIDsAboveTheLargestStopAtInt64Max() throws {
        #expect(
            try FreeIDRule.ids(count: 1, largestRegistered: Int64.max - 1, reserved: [], isFree: { _ in true }) == [
                Int64.max
            ])
        #expect(throws: RegistryError.noFreeIDAbove(Int64.max - 1)) {
            try FreeIDRule.ids(count: 2, largestRegistered: Int64.max - 1, reserved: [], isFree: { _ in true })
        }
        #expect(throws: RegistryError.noFreeIDAbove(Int64.max)) {
            try FreeIDRule.ids(count: 1, largestRegistered: Int64.max, reserved: [], isFree: { _ in true })
        }
        // The last id is reserved or has something left: nothing to give either.
        #expect(throws: RegistryError.noFreeIDAbove(Int64.max - 1)) {
            try FreeIDRule.ids(count: 1, largestRegistered: Int64.max - 1, reserved: [Int64.max], isFree: { _ in true })
        }
        #expect(try FreeIDRule.ids(count: 0, largestRegistered: Int64.max, reserved: [], isFree: { _ in true }).isEmpty)
        #expect(RegistryError.noFreeIDAbove(Int64.max).description.contains("Id_Import"))
    }

    @Test func aHostingHoldingTheLargestIDRefusesANewOneClearly() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try hosting.addStructure(newStructure(uai: "0750001U", id: Int64.max))
        #expect(throws: RegistryError.noFreeIDAbove(Int64.max)) { try hosting.freeIDs(count: 1) }
        #expect(throws: (any Error).self) { try hosting.addStructure(newStructure(uai: "0330001X")) }
        #expect(try hosting.registry.structures().map(\.baseID) == [Int64.max], "nothing half-added")
    }

    @Test func statisticsTotalsBeyondInt64AreSaidSo() {
        let profile = [ApplicationProfile.Statistic(key: "students", label: "Students", query: "SELECT 1", total: .sum)]
        func row(_ id: Int64, _ value: Int64) -> EstablishmentStatistics {
            EstablishmentStatistics(
                baseID: id, denomination: "x", uai: nil, figures: [("students", .integer(value))], databaseBytes: .max,
                filesBytes: .max, filesCount: 1)
        }
        let report = StatisticsReport(profile: profile, rows: [row(1, .max), row(2, 1)])
        #expect(report.totals.first?.value == .text("more than \(Int64.max)"))
        #expect(report.totalDatabaseBytes == .max && report.totalFilesBytes == .max)
        #expect(StatisticsReport(profile: profile, rows: [row(1, 2), row(2, 3)]).totals.first?.value == .integer(5))
    }
}

@Suite("SACoche's inner ZIP names, exactly")
struct SACocheInnerZipNameTests {
    @Test(arguments: ["dump_SACoche_16_2017-10-02_14-05-37_1918102982.zip", "dump_SACoche_1_2011-04-03_00-00-00_0.zip"])
    func sacochesOwnNamesAreAccepted(name: String) {
        #expect(SACocheNames.isInnerZip(name))
    }

    @Test(arguments: [
        "dump_SACoche_..zip", "dump_SACoche_../../x.zip", "dump_SACoche_1_2017-10-02_14-05-37_1.zip/..",
        "dump_SACoche_..\\x.zip",
        "dump_SACoche_1_2017-10-02_14-05-37_1.zip\n", "dump_SACoche_1_2017-10-02_14-05-37_1..zip",
        "dump_SACoche_x_2017-10-02_14-05-37_1.zip",
        "dump_SACoche_1_2017-10-02_14-05-37_.zip", "dump_SACoche_1_2017-10-02_1.zip",
        "dump_sacoche_1_2017-10-02_14-05-37_1.zip",
        "2016-12-08", "dump_SACoche_١_2017-10-02_14-05-37_1.zip",
    ])
    func anythingElseIsNot(name: String) {
        #expect(!SACocheNames.isInnerZip(name))
    }
}
