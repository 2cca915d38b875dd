import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The content digest is the contract between backends: fixed vectors whose expected digests were
/// computed by an independent implementation written from `Docs/archive-format.md` §4
/// (`Tests/Vectors/content_digest.py`), checked against the library's `ContentDigest` and against rows
/// stored in a real database and read back.
@Suite("Content digest test vectors")
struct DigestVectorTests {
    struct Vector: Decodable {
        var name: String
        var columns: [String]
        var rows: [[Value]]
        var expected: Expected

        struct Expected: Decodable {
            var rows: Int64
            var sha256: String
        }

        /// One typed value, as the vectors file writes it.
        struct Value: Decodable {
            var value: SQLValue

            enum CodingKeys: String, CodingKey { case null, integer, real, text, blob }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                if try container.decodeIfPresent(Bool.self, forKey: .null) == true {
                    value = .null
                } else if let integer = try container.decodeIfPresent(String.self, forKey: .integer) {
                    value = .integer(Int64(integer)!)
                } else if let real = try container.decodeIfPresent(String.self, forKey: .real) {
                    value = .real(Double(real)!)
                } else if let text = try container.decodeIfPresent(String.self, forKey: .text) {
                    value = .text(text)
                } else {
                    let hex = try container.decode(String.self, forKey: .blob)
                    value = .blob(
                        Data(
                            stride(from: 0, to: hex.count, by: 2).map { offset in
                                let start = hex.index(hex.startIndex, offsetBy: offset)
                                return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
                            }))
                }
            }
        }
    }

    static let vectorsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors")

    static func vectors() throws -> [Vector] {
        try JSONDecoder().decode(
            [Vector].self, from: Data(contentsOf: vectorsFile.appendingPathComponent("digest-vectors.json")))
    }

    @Test func theLibraryDigestEqualsTheIndependentOne() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 10)
        for vector in vectors {
            var digest = ContentDigest(columns: vector.columns)
            for row in vector.rows { digest.add(row: row.map(\.value)) }
            #expect(digest.rowCount == vector.expected.rows, "\(vector.name)")
            let sha256 = digest.finalize()
            #expect(
                sha256 == vector.expected.sha256,
                "\(vector.name): the library gives \(sha256), the vectors \(vector.expected.sha256)")
        }
    }

    @Test func rowsStoredInSQLiteAndReadBackGiveTheSameDigests() throws {
        let directory = try TemporaryDirectory()
        let store = SQLiteEstablishmentStore(directory: directory.url)
        for (number, vector) in try Self.vectors().enumerated() {
            let id = Int64(number + 1)
            // Columns without a declared type keep every value as it is given (no affinity conversion).
            let columns = vector.columns.map { ColumnSchema(name: $0, declaredType: "") }
            try store.create(baseID: id, schema: DatabaseSchema(tables: [TableSchema(name: "t", columns: columns)]))
            try store.write(baseID: id) { writer in
                let inserter = try writer.makeInserter(table: "t", columns: vector.columns)
                for row in vector.rows { try inserter.insert(row.map(\.value)) }
            }
            // A table without a primary key is read in the order of every column; the vectors' rows are
            // in that order already, or have a first column that orders them.
            let read = try store.read(baseID: id) { try $0.tableDigest("t") }
            #expect(read.rows == vector.expected.rows, "\(vector.name)")
            #expect(
                read.sha256 == vector.expected.sha256,
                "\(vector.name): SQLite reads back \(read.sha256), the vectors say \(vector.expected.sha256)")
        }
    }

    @Test func rowsStoredInMariaDBAndReadBackGiveTheSameDigests() throws {
        let under = BackendUnderTest.mariadb
        let (backend, cleanup) = try under.make()
        defer { cleanup() }
        var checked = 0
        for (number, vector) in try Self.vectors().enumerated() {
            // MariaDB columns have one type: vectors whose columns mix kinds (SQLite's dynamic typing) are
            // for SQLite only.
            var types: [NeutralType] = []
            for column in vector.columns.indices {
                let kinds = Set(
                    vector.rows.map { $0[column].value }.compactMap { value -> NeutralType? in
                        switch value {
                        case .null: return nil
                        case .integer: return .integer
                        case .real: return .real
                        case .text: return .text
                        case .blob: return .blob
                        }
                    })
                types.append(kinds.count == 1 ? kinds.first! : (kinds.isEmpty ? .text : .numeric))
            }
            guard !types.contains(.numeric) else { continue }
            let id = Int64(number + 1)
            // MariaDB's DOUBLE holds no infinity: such a row is refused, never stored as something else.
            let infinite = vector.rows.contains {
                $0.contains {
                    if case .real(let x) = $0.value { return x.isInfinite }
                    return false
                }
            }
            let columns = zip(vector.columns, types).map { ColumnSchema(name: $0, type: $1, notNull: false) }
            try backend.establishments.create(
                baseID: id, schema: DatabaseSchema(tables: [TableSchema(name: "t", columns: columns)]))
            let insert = {
                try backend.establishments.write(baseID: id) { writer in
                    let inserter = try writer.makeInserter(table: "t", columns: vector.columns)
                    for row in vector.rows { try inserter.insert(row.map(\.value)) }
                }
            }
            if infinite {
                #expect(throws: MariaDBError.self, "\(vector.name): an infinity is refused") { try insert() }
                continue
            }
            try insert()
            let read = try backend.establishments.read(baseID: id) { try $0.tableDigest("t") }
            #expect(
                read.sha256 == vector.expected.sha256,
                "\(vector.name): MariaDB reads back \(read.sha256), the vectors say \(vector.expected.sha256)")
            checked += 1
        }
        #expect(checked >= 8, "most vectors have one kind per column and no infinity")
    }

    @Test func rowsStoredInPostgreSQLAndReadBackGiveTheSameDigests() throws {
        let (backend, cleanup) = try BackendUnderTest.postgres.make()
        defer { cleanup() }
        var checked = 0
        for (number, vector) in try Self.vectors().enumerated() {
            // One type per column, as on MariaDB; infinities are kept here (PostgreSQL's double has them).
            var types: [NeutralType] = []
            for column in vector.columns.indices {
                let kinds = Set(
                    vector.rows.map { $0[column].value }.compactMap { value -> NeutralType? in
                        switch value {
                        case .null: return nil
                        case .integer: return .integer
                        case .real: return .real
                        case .text: return .text
                        case .blob: return .blob
                        }
                    })
                types.append(kinds.count == 1 ? kinds.first! : (kinds.isEmpty ? .text : .numeric))
            }
            guard !types.contains(.numeric) else { continue }
            let id = Int64(number + 1)
            let columns = zip(vector.columns, types).map { ColumnSchema(name: $0, type: $1, notNull: false) }
            try backend.establishments.create(
                baseID: id, schema: DatabaseSchema(tables: [TableSchema(name: "t", columns: columns)]))
            let load = {
                try backend.establishments.load(baseID: id) { writer in
                    let inserter = try writer.makeInserter(table: "t", columns: vector.columns)
                    for row in vector.rows { try inserter.insert(row.map(\.value)) }
                }
            }
            // PostgreSQL's text holds no NUL: such a row is refused by name, never stored cut short.
            let nul = vector.rows.contains {
                $0.contains {
                    if case .text(let text) = $0.value { return text.utf8.contains(0) }
                    return false
                }
            }
            if nul {
                #expect(throws: PostgreSQLCopyError.self, "\(vector.name): a NUL in text is refused") { try load() }
                continue
            }
            try load()
            let read = try backend.establishments.read(baseID: id) { try $0.tableDigest("t") }
            #expect(
                read.sha256 == vector.expected.sha256,
                "\(vector.name): PostgreSQL reads back \(read.sha256), the vectors say \(vector.expected.sha256)")
            checked += 1
        }
        #expect(checked >= 8, "every vector with one kind per column and no NUL in text, infinities included")
    }

    @Test func theIndependentImplementationStillReproducesEveryCommittedDigest() throws {
        let python = try #require(
            ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
                ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/python3" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }, "python3 must be installed (make setup)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Self.vectorsFile.appendingPathComponent("content_digest.py").path, "--check",
            Self.vectorsFile.appendingPathComponent("digest-vectors.json").path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "content_digest.py --check: \(text)")
    }
}
