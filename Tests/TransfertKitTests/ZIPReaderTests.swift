import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The strict ZIP reader on ZIPs made byte by byte, one rule each (the hostile corpus of
/// `HostileBundleTests` drives the same rules through the binary), and the free-space checks with the
/// free space injected.
@Suite("ZIP reader")
struct ZIPReaderTests {
    static let le = ZIPFuzzTests.le

    /// A ZIP of `entries` (name, stored data), with hooks to damage it: `local` and `central` may change
    /// a record before it is written; `comment` goes after the end record.
    static func zip(
        _ entries: [(String, [UInt8])], flags: UInt16 = 0x0800, method: UInt16 = 0, comment: [UInt8] = [],
        centralOffsets: ((Int, UInt64) -> UInt64)? = nil
    ) throws -> [UInt8] {
        var body: [UInt8] = []
        var central: [UInt8] = []
        for (index, (name, data)) in entries.enumerated() {
            let crc = UInt64(try DeflatedChunk(Data(data)).crc32)
            let nameBytes = Array(name.utf8)
            let offset = UInt64(body.count)
            body +=
                le(0x0403_4B50, 4) + le(20, 2) + le(UInt64(flags), 2) + le(UInt64(method), 2) + le(0, 4) + le(crc, 4)
                + le(UInt64(data.count), 4) + le(UInt64(data.count), 4) + le(UInt64(nameBytes.count), 2) + le(0, 2)
                + nameBytes + data
            central +=
                le(0x0201_4B50, 4) + le(0x031E, 2) + le(20, 2) + le(UInt64(flags), 2) + le(UInt64(method), 2) + le(0, 4)
                + le(crc, 4)
                + le(UInt64(data.count), 4) + le(UInt64(data.count), 4) + le(UInt64(nameBytes.count), 2) + le(0, 2)
                + le(0, 2) + le(0, 2)
                + le(0, 2) + le(0o100644 << 16, 4) + le(centralOffsets?(index, offset) ?? offset, 4) + nameBytes
        }
        let count = UInt64(entries.count)
        return body + central + le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(count, 2) + le(count, 2)
            + le(UInt64(central.count), 4) + le(UInt64(body.count), 4) + le(UInt64(comment.count), 2) + comment
    }

    func open(_ bytes: [UInt8], in directory: TemporaryDirectory) throws(BundleReadError) -> BundleArchive {
        let url = directory.path("test-\(UUID().uuidString).zip")
        do { try Data(bytes).write(to: url) } catch { Issue.record("\(error)") }
        return try BundleArchive(url: url)
    }

    func refusal(_ bytes: [UInt8], in directory: TemporaryDirectory) -> String? {
        do {
            _ = try open(bytes, in: directory)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aWellFormedZIPReads() throws {
        let directory = try TemporaryDirectory()
        let archive = try open(try Self.zip([("a.txt", Array("hello".utf8)), ("b/c.txt", [])]), in: directory)
        #expect(archive.entryOrder == ["a.txt", "b/c.txt"] && archive.safetyProblems().isEmpty)
        var text = Data()
        try archive.stream("a.txt") { text.append($0) }
        #expect(text == Data("hello".utf8))
    }

    @Test func aLocalHeaderInsideTheEndRecordsCommentIsRefusedAtOnce() throws {
        let directory = try TemporaryDirectory()
        // The second entry's local header is written in the comment; its data would run past the end.
        let fake =
            Self.le(0x0403_4B50, 4) + Self.le(20, 2) + Self.le(0x0800, 2) + Self.le(0, 2) + Self.le(0, 4)
            + Self.le(0, 4)
            + Self.le(1_000_000, 4) + Self.le(1_000_000, 4) + Self.le(5, 2) + Self.le(0, 2) + Array("x.bin".utf8)
        let bytes = try Self.zip([("a.txt", Array("hello".utf8)), ("x.bin", [])], comment: fake) { index, offset in
            // After both local records (40 + 35 bytes), both central ones (2 × 51) and the end record (22).
            index == 1 ? UInt64(40 + 35 + 102 + 22) : offset
        }
        let refused = try #require(self.refusal(bytes, in: directory))
        #expect(refused.contains("not a readable ZIP") && refused.contains("x.bin"), "\(refused)")
    }

    @Test func encryptionFlagsAndUnknownMethodsAreRefused() throws {
        let directory = try TemporaryDirectory()
        for flags: UInt16 in [0x0801, 0x0840, 0x2800] {
            let archive = try open(try Self.zip([("a.txt", Array("hello".utf8))], flags: flags), in: directory)
            #expect(
                archive.safetyProblems().contains {
                    $0.code == .zipEncrypted && $0.location?.file == "a.txt"
                        && $0.message.contains("flagged as encrypted")
                }, "flags \(flags)")
            #expect(throws: BundleReadError.self) { try archive.stream("a.txt") { _ in } }
        }
        let bzip2 = try open(try Self.zip([("a.txt", Array("hello".utf8))], method: 12), in: directory)
        #expect(
            bzip2.safetyProblems().contains {
                $0.code == .zipUnsupportedMethod && $0.message.contains("compressed with method 12")
            })
        #expect(throws: BundleReadError.self) { try bzip2.stream("a.txt") { _ in } }
    }

    /// Each safety problem has its own code and names its entry, for `verify --json`'s `bundle_problems`.
    @Test func unsafeNamesAreProblemsNamingTheirEntry() throws {
        let directory = try TemporaryDirectory()
        let archive = try open(
            try Self.zip([("a.txt", Array("hello".utf8)), ("../x.txt", Array("evil".utf8))]), in: directory)
        let problems = archive.safetyProblems()
        #expect(problems.map(\.code) == [.zipUnsafeName], "\(problems)")
        #expect(problems.first?.location?.file == "../x.txt", "\(problems)")
        #expect(
            problems.first?.message
                == "entry '../x.txt' climbs out of its directory with '..': the archive is refused as unsafe")
    }

    @Test func entriesSharingOneLocalRecordAreRefused() throws {
        let directory = try TemporaryDirectory()
        // Both central records point at the first local header: the second's name does not match it.
        let twin = try Self.zip([("a.txt", Array("hello".utf8)), ("b.txt", Array("hello".utf8))]) { _, _ in 0 }
        #expect(refusal(twin, in: directory)?.contains("names another entry") == true)
    }

    @Test func aDeflateStreamEndingBeforeItsDeclaredSizeIsRefused() throws {
        let directory = try TemporaryDirectory()
        // Deflated "hello" followed by 100 bytes the inflater never needs, all counted as compressed data.
        let deflated = Array(try DeflatedChunk(Data("hello".utf8)).bytes) + [UInt8](repeating: 0x41, count: 100)
        var bytes = try Self.zip([("a.txt", deflated)], method: 8)
        // Declare the real uncompressed size (5) and CRC in both headers.
        let crc = Self.le(UInt64(try DeflatedChunk(Data("hello".utf8)).crc32), 4)
        let central = bytes.count - 22 - 46 - 5
        for record in [0, central] {
            let shift = record == 0 ? 0 : 2
            bytes.replaceSubrange(record + 14 + shift..<record + 18 + shift, with: crc)
            bytes.replaceSubrange(record + 22 + shift..<record + 26 + shift, with: Self.le(5, 4))
        }
        let archive = try open(bytes, in: directory)
        #expect(
            throws: BundleReadError.damagedEntry(
                "a.txt",
                reason:
                    "its deflate data ends 100 bytes before its declared compressed size (\(deflated.count)): the sizes lie"
            )
        ) {
            try archive.stream("a.txt") { _ in }
        }
    }

    @Test func dataDescriptorsAreReadAndMustAgreeWithTheCentralRecord() throws {
        let directory = try TemporaryDirectory()
        var bytes = try ZIPFuzzTests.dataDescriptorSeed()
        let archive = try open(bytes, in: directory)
        #expect(archive.entryOrder == ["base_1/000001.sql", "base_1/files/a.txt"] && archive.safetyProblems().isEmpty)
        var text = Data()
        try archive.stream("base_1/files/a.txt") { text.append($0) }
        #expect(text == Data("hello\n".utf8))
        // The first entry's (signed) descriptor: its CRC-32 changed.
        let signature: [UInt8] = [0x50, 0x4B, 0x07, 0x08]
        let at = try #require((0..<bytes.count - 4).first { bytes[$0...].starts(with: signature) })
        bytes[at + 4] ^= 0xFF
        #expect(refusal(bytes, in: directory)?.contains("its data descriptor declares CRC-32") == true)
    }

    @Test func theWholeArchiveMayNotDeclareMoreThanItsLimit() {
        #expect(BundleArchive.maximumArchiveBytes(fileSize: 1_000_000) == 200 * 1_000_000 + 256 * 1024 * 1024)
        #expect(BundleArchive.maximumArchiveBytes(fileSize: .max / 2) == .max, "saturates, never traps")
    }

    // MARK: Free space

    @Test func aShortDiskIsRefusedWithTheFiguresAndThePlace() throws {
        let space = DiskSpace { _ in 1_000 }
        #expect(
            throws: DiskSpaceError(
                needed: 5_000, available: 1_000, directory: "/srv/hosting/bases", purpose: "a restore")
        ) {
            try space.require(5_000, in: URL(fileURLWithPath: "/srv/hosting/bases"), for: "a restore")
        }
        try space.require(1_000, in: URL(fileURLWithPath: "/srv"), for: "a restore")
        let error = DiskSpaceError(
            needed: 5_000, available: 1_000, directory: "/srv/hosting/bases", purpose: "a restore")
        #expect(
            error.description.contains("5000 bytes are needed") && error.description.contains("1000 are available")
                && error.description.contains("in /srv/hosting/bases")
                && error.description.contains("free at least 4000 more bytes"))
        #expect(DiskSpace.total([.max, 1]) == .max, "sums saturate, never trap")
    }

    @Test func verifyDeepAsksRoomForItsLargestRestoresAtOnce() throws {
        func establishment(_ bytes: Int64) -> BundleManifest.Establishment {
            BundleManifest.Establishment(
                nomFichier: "base_\(bytes)", guid: "", baseID: 1, uai: nil, denomination: "", schemaVersion: "",
                tables: [], schema: DatabaseSchema(), schemaNotes: [], entries: [], dumpBytes: bytes, dumpSHA256: "",
                files: [])
        }
        let check = RestoreSpaceCheck(diskSpace: DiskSpace { _ in 2_500 })
        let all = [establishment(1_000), establishment(2_000), establishment(500), establishment(-7)]
        #expect(throws: DiskSpaceError.self) {
            try check.requireScratchRoom(for: all, concurrent: 2, in: URL(fileURLWithPath: "/tmp"))
        }
        try check.requireScratchRoom(for: all, concurrent: 1, in: URL(fileURLWithPath: "/tmp"))
    }

    @Test func aSACocheInnerZIPIsNotCopiedOutWithoutRoom() throws {
        let fixture = repositoryRoot.appendingPathComponent(
            "Tests/Fixtures/sacoche/three-schools/bases_dump_2017-10-02_14-05-37_1942955373.zip")
        let bundle = try SACocheBundle(archive: try BundleArchive(url: fixture))
        bundle.diskSpace = DiskSpace { _ in 100 }
        let inner = try #require(bundle.innerZips.first)
        #expect(throws: DiskSpaceError.self) { try bundle.openBase(inner) }
        bundle.diskSpace = .system
        #expect(try bundle.openBase(inner).sqlFiles.files.isEmpty == false)
    }
}
