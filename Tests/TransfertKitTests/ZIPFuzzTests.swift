import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A seeded, structure-aware fuzzer of the ZIP reader (``BundleArchive``, ``ZIPCentralDirectory``,
/// ``ZIPEntryInflater``). It starts from valid ZIPs — written by ``ZIPFileWriter`` (deflated, stored and
/// streamed entries), the same with ZIP64 end records, one with data descriptors, SACoche's fixture bundle
/// and one of its inner ZIPs — and changes their structural fields: sizes, offsets, counts, flags,
/// methods, name and extra lengths, ZIP64 records, the end record's comment, truncations, insertions —
/// and, a fifth of the time, one field of one entry in both its headers at once, so that the structure
/// agrees and the inflater meets sizes, CRC-32, method or flags that lie.
///
/// Every input is opened, checked (`safetyProblems()`) and every entry streamed. Each must end in success
/// or a ``BundleReadError`` — never a trap, never another error — and the reader's bounds must hold:
/// every record inside the file, no entry inflating past its declared size, nor past the ratio measured
/// on its compressed bytes. Work is bounded by construction (every read lies inside the file), which is
/// asserted instead of a time, so the suite cannot fail on a slow machine.
///
/// `make test` runs `TRANSFERT_ZIP_FUZZ_COUNT` inputs (2,000 by default); `make test-reliability` runs
/// 100,000. `TRANSFERT_ZIP_FUZZ_SEED` replays a run; the seed is printed, and the input being read is
/// kept in a file whose path is printed, so a trap can be replayed.
@Suite("ZIP fuzzing")
struct ZIPFuzzTests {
    /// SplitMix64, the one ``CSVFuzzTests`` and ``ManifestFuzzTests`` use: the same sequence on every machine.
    typealias Generator = CSVFuzzTests.Generator

    /// A field of a ZIP record: where it is from the record's signature, and its width in bytes.
    struct Field {
        var offset: Int
        var width: Int
        var name: String
    }

    /// The records the fuzzer knows, by signature, and their fields (APPNOTE 4.3).
    static let records: [(signature: [UInt8], name: String, fields: [Field])] = [
        (
            [0x50, 0x4B, 0x03, 0x04], "local header",
            [
                Field(offset: 4, width: 2, name: "version needed"), Field(offset: 6, width: 2, name: "flags"),
                Field(offset: 8, width: 2, name: "method"), Field(offset: 14, width: 4, name: "CRC-32"),
                Field(offset: 18, width: 4, name: "compressed size"),
                Field(offset: 22, width: 4, name: "uncompressed size"),
                Field(offset: 26, width: 2, name: "name length"), Field(offset: 28, width: 2, name: "extra length"),
            ]
        ),
        (
            [0x50, 0x4B, 0x01, 0x02], "central record",
            [
                Field(offset: 4, width: 2, name: "made by"), Field(offset: 8, width: 2, name: "flags"),
                Field(offset: 10, width: 2, name: "method"), Field(offset: 16, width: 4, name: "CRC-32"),
                Field(offset: 20, width: 4, name: "compressed size"),
                Field(offset: 24, width: 4, name: "uncompressed size"),
                Field(offset: 28, width: 2, name: "name length"), Field(offset: 30, width: 2, name: "extra length"),
                Field(offset: 32, width: 2, name: "comment length"), Field(offset: 34, width: 2, name: "disk"),
                Field(offset: 38, width: 4, name: "external attributes"),
                Field(offset: 42, width: 4, name: "local offset"),
            ]
        ),
        (
            [0x50, 0x4B, 0x05, 0x06], "end record",
            [
                Field(offset: 4, width: 2, name: "disk"), Field(offset: 6, width: 2, name: "directory disk"),
                Field(offset: 8, width: 2, name: "entries on disk"), Field(offset: 10, width: 2, name: "entries"),
                Field(offset: 12, width: 4, name: "directory size"),
                Field(offset: 16, width: 4, name: "directory offset"),
                Field(offset: 20, width: 2, name: "comment length"),
            ]
        ),
        (
            [0x50, 0x4B, 0x06, 0x06], "ZIP64 end record",
            [
                Field(offset: 4, width: 8, name: "record size"), Field(offset: 16, width: 4, name: "disk"),
                Field(offset: 24, width: 8, name: "entries on disk"), Field(offset: 32, width: 8, name: "entries"),
                Field(offset: 40, width: 8, name: "directory size"),
                Field(offset: 48, width: 8, name: "directory offset"),
            ]
        ),
        (
            [0x50, 0x4B, 0x06, 0x07], "ZIP64 locator",
            [
                Field(offset: 4, width: 4, name: "disk"), Field(offset: 8, width: 8, name: "record offset"),
                Field(offset: 16, width: 4, name: "disks"),
            ]
        ),
        (
            [0x50, 0x4B, 0x07, 0x08], "data descriptor",
            [
                Field(offset: 4, width: 4, name: "CRC-32"), Field(offset: 8, width: 4, name: "compressed size"),
                Field(offset: 12, width: 4, name: "uncompressed size"),
            ]
        ),
        // A ZIP64 extended-information field (id 1, 8 to 28 bytes): its values.
        (
            [0x01, 0x00], "ZIP64 field",
            [
                Field(offset: 2, width: 2, name: "length"), Field(offset: 4, width: 8, name: "first value"),
                Field(offset: 12, width: 8, name: "second value"), Field(offset: 20, width: 8, name: "third value"),
            ]
        ),
    ]

    // MARK: Seeds

    static func seeds(in directory: TemporaryDirectory) throws -> [(name: String, bytes: [UInt8])] {
        let written = try writerSeed(in: directory)
        var seeds: [(String, [UInt8])] = [
            ("ZIPFileWriter", written), ("ZIPFileWriter + ZIP64 end records", withZIP64EndRecords(written)),
            ("data descriptors", try dataDescriptorSeed()),
        ]
        let fixture = repositoryRoot.appendingPathComponent(
            "Tests/Fixtures/sacoche/three-schools/bases_dump_2017-10-02_14-05-37_1942955373.zip")
        let outer = try BundleArchive(url: fixture)
        seeds.append(("SACoche fixture", Array(try Data(contentsOf: fixture))))
        if let innerName = outer.entryOrder.first(where: { $0.hasSuffix(".zip") }) {
            var inner: [UInt8] = []
            try outer.stream(innerName) { inner += $0 }
            seeds.append(("SACoche inner ZIP", inner))
        }
        return seeds
    }

    /// Deflated, stored, empty and streamed entries, with UTF-8 names.
    static func writerSeed(in directory: TemporaryDirectory) throws -> [UInt8] {
        let url = directory.path("seed.zip")
        let zip = try ZIPFileWriter(url: url)
        let sql = Data(String(repeating: "INSERT INTO \"élèves\" VALUES (1, 'Zoé');\n", count: 300).utf8)
        let chunk = try DeflatedChunk(sql)
        try zip.add(
            path: "base_1/000001.sql", method: .deflate, crc32: chunk.crc32, uncompressedSize: UInt64(sql.count),
            data: chunk.bytes)
        let empty = try DeflatedChunk(Data())
        try zip.add(
            path: "base_1/000002.sql", method: .deflate, crc32: empty.crc32, uncompressedSize: 0, data: empty.bytes)
        let picture = Data((0..<700).map { UInt8($0 % 251) })
        let pictureCRC = try DeflatedChunk(picture).crc32
        try zip.add(
            path: "base_1/files/Élève.png", method: .stored, crc32: pictureCRC, uncompressedSize: UInt64(picture.count),
            data: picture)
        try zip.addStreamed(path: "base_1/files/notes.txt", method: .stored, expectedSize: UInt64(picture.count)) {
            write in
            try write(picture)
            return (pictureCRC, UInt64(picture.count))
        }
        try zip.add(
            path: "manifest.json", method: .stored, crc32: try DeflatedChunk(Data("{}".utf8)).crc32,
            uncompressedSize: 2, data: Data("{}".utf8))
        try zip.finish()
        return Array(try Data(contentsOf: url))
    }

    /// The same ZIP with a ZIP64 end record and locator before its end record, which says "see ZIP64".
    static func withZIP64EndRecords(_ zip: [UInt8]) -> [UInt8] {
        let end = zip.count - 22
        let count = UInt64(zip[end + 10]) | UInt64(zip[end + 11]) << 8
        let size = zip[end + 12..<end + 16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let offset = zip[end + 16..<end + 20].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var out = Array(zip[..<end])
        let recordOffset = UInt64(out.count)
        out +=
            le(0x0606_4B50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
            + le(count, 8) + le(count, 8) + le(size, 8) + le(offset, 8)
        out += le(0x0706_4B50, 4) + le(0, 4) + le(recordOffset, 8) + le(1, 4)
        out +=
            le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(0xFFFF_FFFF, 4)
            + le(0xFFFF_FFFF, 4) + le(0, 2)
        return out
    }

    /// Two entries written as a streaming writer does: flag bit 3, zeros in the local header, the CRC-32
    /// and sizes in a data descriptor after the data (one signed, one not).
    static func dataDescriptorSeed() throws -> [UInt8] {
        let contents: [(String, Data)] = [
            ("base_1/000001.sql", Data(String(repeating: "SELECT 1;\n", count: 200).utf8)),
            ("base_1/files/a.txt", Data("hello\n".utf8)),
        ]
        var body: [UInt8] = []
        var central: [UInt8] = []
        for (index, (name, data)) in contents.enumerated() {
            let chunk = try DeflatedChunk(data)
            let offset = UInt64(body.count)
            let nameBytes = Array(name.utf8)
            body +=
                le(0x0403_4B50, 4) + le(20, 2) + le(0x0808, 2) + le(8, 2) + le(0, 4) + le(0, 4) + le(0, 4) + le(0, 4)
                + le(UInt64(nameBytes.count), 2) + le(0, 2) + nameBytes + Array(chunk.bytes)
            body +=
                (index == 0 ? le(0x0807_4B50, 4) : []) + le(UInt64(chunk.crc32), 4) + le(UInt64(chunk.bytes.count), 4)
                + le(UInt64(data.count), 4)
            central +=
                le(0x0201_4B50, 4) + le(0x031E, 2) + le(20, 2) + le(0x0808, 2) + le(8, 2) + le(0, 4)
                + le(UInt64(chunk.crc32), 4) + le(UInt64(chunk.bytes.count), 4) + le(UInt64(data.count), 4)
                + le(UInt64(nameBytes.count), 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0o100644 << 16, 4)
                + le(offset, 4) + nameBytes
        }
        let count = UInt64(contents.count)
        return body + central + le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(count, 2) + le(count, 2)
            + le(UInt64(central.count), 4) + le(UInt64(body.count), 4) + le(0, 2)
    }

    static func le(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    // MARK: Mutations

    /// Every place a known record starts in `bytes`, with its field table.
    static func locate(_ bytes: [UInt8]) -> [(position: Int, record: Int)] {
        var found: [(Int, Int)] = []
        guard bytes.count >= 4 else { return [] }
        for position in 0..<(bytes.count - 3)
        where bytes[position] == 0x50 && bytes[position + 1] == 0x4B || bytes[position] == 0x01 {
            for (index, record) in records.enumerated() where bytes[position...].starts(with: record.signature) {
                // A ZIP64 field is taken only where its length is one the format allows.
                if index == records.count - 1
                    && !(position + 3 < bytes.count && [8, 16, 24, 28].contains(Int(bytes[position + 2]))
                        && bytes[position + 3] == 0)
                {
                    continue
                }
                found.append((position, index))
            }
        }
        return found
    }

    static func interesting(_ original: UInt64, width: Int, fileSize: Int, _ g: inout Generator) -> UInt64 {
        let maximum: UInt64 = width == 8 ? .max : (1 << UInt64(8 * width)) - 1
        let value: UInt64
        switch g.below(12) {
        case 0: value = 0
        case 1: value = 1
        case 2: value = maximum
        case 3: value = maximum - 1
        case 4: value = maximum >> 1
        case 5: value = (maximum >> 1) + 1
        case 6: value = original &+ UInt64(1 + g.below(16))
        case 7: value = original &- UInt64(1 + g.below(16))
        case 8: value = UInt64(fileSize) &+ UInt64(g.below(64)) &- 32
        case 9: value = original &* 2
        case 10: value = original ^ (1 << UInt64(g.below(8 * width)))
        default: value = g.next()
        }
        return value & maximum
    }

    /// One to three changes to `seed`, and what they were.
    static func mutate(_ seed: [UInt8], _ g: inout Generator) -> (bytes: [UInt8], changes: [String]) {
        var bytes = seed
        var changes: [String] = []
        for _ in 0..<(1 + g.below(3)) {
            let kind = g.below(100)
            if kind < 20 {
                // The same field changed in an entry's central record and its local header, so that the
                // structure still agrees and the inflater meets the lie (sizes, CRC-32, method, flags).
                guard let change = consistentChange(&bytes, &g) else { continue }
                changes.append(change)
            } else if kind < 62 {
                let places = locate(bytes)
                guard !places.isEmpty else { continue }
                let place = places[g.below(places.count)]
                let record = records[place.record]
                let field = record.fields[g.below(record.fields.count)]
                let at = place.position + field.offset
                guard at + field.width <= bytes.count else { continue }
                let original = bytes[at..<at + field.width].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let value: UInt64
                if field.name == "flags" {
                    value = original ^ UInt64([0x0001, 0x0008, 0x0040, 0x0800, 0x2000][g.below(5)])
                } else if field.name == "method" {
                    value = UInt64([0, 8, 9, 12, 14, 99, 0xFFFF][g.below(7)])
                } else {
                    value = interesting(original, width: field.width, fileSize: bytes.count, &g)
                }
                bytes.replaceSubrange(at..<at + field.width, with: le(value, field.width))
                changes.append("\(record.name) at \(place.position): \(field.name) \(original) → \(value)")
            } else if kind < 70 {
                let keep = g.below(bytes.count + 1)
                changes.append("truncated to \(keep) bytes")
                bytes.removeSubrange(keep...)
            } else if kind < 78 {
                let at = g.below(bytes.count + 1)
                let inserted = (0..<(1 + g.below(40))).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                changes.append("\(inserted.count) bytes inserted at \(at)")
                bytes.insert(contentsOf: inserted, at: at)
            } else if kind < 86 {
                guard !bytes.isEmpty else { continue }
                let at = g.below(bytes.count)
                let count = min(1 + g.below(40), bytes.count - at)
                changes.append("\(count) bytes removed at \(at)")
                bytes.removeSubrange(at..<at + count)
            } else if kind < 94 {
                guard !bytes.isEmpty else { continue }
                let at = g.below(bytes.count)
                bytes[at] ^= UInt8(truncatingIfNeeded: 1 + g.below(255))
                changes.append("byte \(at) flipped")
            } else {
                // A comment after the end record (its length field left as it was, or set to match).
                let comment = (0..<(1 + g.below(80))).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                bytes += comment
                changes.append("\(comment.count) bytes appended")
            }
        }
        return (bytes, changes)
    }

    /// Changes one field of one entry in both its central record and its local header.
    static func consistentChange(_ bytes: inout [UInt8], _ g: inout Generator) -> String? {
        let centrals = locate(bytes).filter { $0.record == 1 }.map(\.position)
        guard !centrals.isEmpty else { return nil }
        let central = centrals[g.below(centrals.count)]
        guard central + 46 <= bytes.count else { return nil }
        func read(_ at: Int, _ width: Int) -> UInt64 {
            bytes[at..<at + width].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        let local = Int(read(central + 42, 4))
        guard local + 30 <= bytes.count, bytes[local...].starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return nil }
        // (central offset, local offset, width, name)
        let fields: [(Int, Int, Int, String)] = [
            (20, 18, 4, "compressed size"), (24, 22, 4, "uncompressed size"), (16, 14, 4, "CRC-32"),
            (10, 8, 2, "method"), (8, 6, 2, "flags"),
        ]
        let (centralAt, localAt, width, name) = fields[g.below(fields.count)]
        let original = read(central + centralAt, width)
        let value: UInt64
        switch name {
        case "flags": value = original ^ UInt64([0x0001, 0x0008, 0x0040, 0x2000][g.below(4)])
        case "method": value = UInt64([0, 8, 12][g.below(3)])
        default: value = interesting(original, width: width, fileSize: bytes.count, &g)
        }
        bytes.replaceSubrange(central + centralAt..<central + centralAt + width, with: le(value, width))
        bytes.replaceSubrange(local + localAt..<local + localAt + width, with: le(value, width))
        return "entry at \(local) (central record at \(central)): \(name) \(original) → \(value) in both headers"
    }

    // MARK: The run

    static var count: Int { Int(ProcessInfo.processInfo.environment["TRANSFERT_ZIP_FUZZ_COUNT"] ?? "") ?? 2_000 }
    static var seed: UInt64 {
        UInt64(ProcessInfo.processInfo.environment["TRANSFERT_ZIP_FUZZ_SEED"] ?? "") ?? 0x5A1B_2026
    }

    @Test func everyMutatedZIPEndsInContentsOrATypedErrorWithinItsBounds() throws {
        let directory = try TemporaryDirectory()
        let seeds = try Self.seeds(in: directory)
        #expect(seeds.count == 5)
        // Each seed reads cleanly: the mutations start from valid ZIPs.
        for (name, bytes) in seeds {
            let url = directory.path("valid.zip")
            try Data(bytes).write(to: url)
            let archive = try BundleArchive(url: url)
            #expect(archive.safetyProblems().isEmpty, "\(name)")
            #expect(!archive.entryOrder.isEmpty, "\(name)")
            for path in archive.entryOrder where archive.entries[path]?.type == .file {
                try archive.stream(path) { _ in }
            }
        }

        // The input being read, kept on disk: if the process traps, it is the one to replay.
        let input = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "transfert-zip-fuzz-input-\(getpid()).zip")
        print("ZIP fuzzing: seed \(Self.seed), \(Self.count) inputs; the input being read is \(input.path)")
        var g = Generator(state: Self.seed)
        var outcomes: [String: Int] = [:]
        for number in 0..<Self.count {
            let (seedName, seedBytes) = seeds[g.below(seeds.count)]
            let (bytes, changes) = Self.mutate(seedBytes, &g)
            let place = "seed \(Self.seed), input #\(number) (\(seedName): \(changes.joined(separator: "; ")))"
            try Data(bytes).write(to: input)
            outcomes[Self.read(input, place: place), default: 0] += 1
        }
        try? FileManager.default.removeItem(at: input)
        print("ZIP fuzzing outcomes: \(outcomes.sorted { $0.key < $1.key })")
        #expect(outcomes.values.reduce(0, +) == Self.count)
    }

    /// Opens, checks and streams everything; returns the outcome's kind; records what breaks the rules.
    static func read(_ url: URL, place: String) -> String {
        let archive: BundleArchive
        do {
            archive = try BundleArchive(url: url)
        } catch {
            return "refused when opened"
        }
        _ = archive.safetyProblems()
        var refused = false
        for path in archive.entryOrder {
            guard let entry = archive.entries[path] else { continue }
            #expect(
                entry.recordEnd <= archive.fileSize && entry.dataOffset <= entry.recordEnd
                    && entry.compressedSize <= archive.fileSize, "\(place): entry \(path) lies outside the file")
            var inflated: UInt64 = 0
            do {
                try archive.stream(path) { inflated += UInt64($0.count) }
            } catch is BundleReadError {
                refused = true
            } catch {
                Issue.record("\(place): entry \(path) threw \(type(of: error)) (\(error)), not a BundleReadError")
            }
            // Never past the declared size (plus nothing), nor past the ratio on the bytes consumed
            // (plus the one 64 KiB piece that shows it).
            let ratioBound = max(
                BundleArchive.ratioFloor,
                entry.compressedSize.multipliedReportingOverflow(by: BundleArchive.maximumRatio).partialValue)
            #expect(
                inflated <= entry.uncompressedSize && inflated <= ratioBound + UInt64(ZIPEntryInflater.pieceSize),
                "\(place): entry \(path) inflated \(inflated) bytes (declared \(entry.uncompressedSize), \(entry.compressedSize) compressed)"
            )
        }
        return refused ? "an entry refused when read" : "read"
    }
}

extension CSVFuzzTests.Generator {
    /// A number in `0..<bound` (0 when the bound is not positive).
    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
}
