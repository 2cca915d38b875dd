import Foundation
import Testing
import ZIPFoundation

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("ZIP writer")
struct ZIPFileWriterTests {
    /// The entries of `url` as ZIPFoundation (which reads every bundle) sees them: path → bytes.
    func read(_ url: URL) throws -> [String: Data] {
        let archive = try Archive(url: url, accessMode: .read)
        var contents: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            contents[entry.path] = data
        }
        return contents
    }

    @Test func deflatedStoredAndStreamedEntriesReadBackWithTheirNames() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("bundle.zip")
        let sql = Data(String(repeating: "INSERT INTO \"élèves\" VALUES (1, 'Zoé');\n", count: 5000).utf8)
        let zip = try ZIPFileWriter(url: url)
        let chunk = try DeflatedChunk(sql)
        #expect(chunk.bytes.count < sql.count / 10)
        try zip.add(
            path: "base_1/000001.sql", method: .deflate, crc32: chunk.crc32, uncompressedSize: UInt64(sql.count),
            data: chunk.bytes)
        let empty = try DeflatedChunk(Data())
        try zip.add(
            path: "base_1/000002.sql", method: .deflate, crc32: empty.crc32, uncompressedSize: 0, data: empty.bytes)
        let picture = Data((0..<3000).map { UInt8($0 % 251) })
        try zip.addStreamed(path: "base_1/files/Élève été.png", method: .stored, expectedSize: UInt64(picture.count)) {
            write in
            try write(picture.prefix(1000))
            try write(picture.dropFirst(1000))
            return (picture.crc32(checksum: 0), UInt64(picture.count))
        }
        try zip.addStreamed(path: "base_1/files/notes.txt", method: .deflate, expectedSize: UInt64(sql.count)) {
            write in
            let crc = try Data.compress(
                size: Int64(sql.count), bufferSize: 4096,
                provider: { position, size in
                    sql.subdata(in: Int(position)..<Int(position) + size)
                }, consumer: write)
            return (crc, UInt64(sql.count))
        }
        try zip.finish()

        let contents = try read(url)
        #expect(
            contents == [
                "base_1/000001.sql": sql, "base_1/000002.sql": Data(),
                "base_1/files/Élève été.png": picture, "base_1/files/notes.txt": sql,
            ])
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(
            try run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    """
                    import sys, zipfile
                    z = zipfile.ZipFile(sys.argv[1])
                    assert z.testzip() is None
                    assert sorted(z.namelist()) == ['base_1/000001.sql', 'base_1/000002.sql', 'base_1/files/notes.txt', 'base_1/files/Élève été.png']
                    assert all((i.external_attr >> 16) == 0o100600 for i in z.infolist())
                    """, url.path,
                ]) == 0)
    }

    /// Every level the export offers writes entries ZIPFoundation and Python's `zipfile` read back byte for
    /// byte; chunks deflate at level 1 unless told otherwise (issue #29: five to eight times less CPU than 6).
    @Test func everyDeflateLevelReadsBackAndLevelOneIsTheDefault() throws {
        #expect(DeflateLevel.standard.value == 1)
        #expect(
            DeflateLevel(0) == nil && DeflateLevel(13) == nil && DeflateLevel(-1) == nil && DeflateLevel(.max) == nil)
        let directory = try TemporaryDirectory()
        let url = directory.path("levels.zip")
        var sql = Data()
        for row in 0..<20000 {
            sql.append(
                contentsOf: "INSERT INTO \"notes\" VALUES (\(row), 'Élève \(row % 977)', \(row * 7919 % 20));\n".utf8)
        }
        let zip = try ZIPFileWriter(url: url)
        var sizes: [Int] = []
        var expected: [String: Data] = [:]
        for value in DeflateLevel.range {
            let chunk = try DeflatedChunk(sql, level: try #require(DeflateLevel(value)))
            sizes.append(chunk.bytes.count)
            let path = "base_1/\(String(format: "%06d", value)).sql"
            try zip.add(
                path: path, method: .deflate, crc32: chunk.crc32, uncompressedSize: UInt64(sql.count), data: chunk.bytes
            )
            expected[path] = sql
        }
        try zip.finish()
        #expect(try read(url) == expected)
        #expect(try DeflatedChunk(sql).bytes == DeflatedChunk(sql, level: try #require(DeflateLevel(1))).bytes)
        #expect(sizes[5] < sizes[0], "level 6 is smaller than level 1: \(sizes)")
        #expect(
            try run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    """
                    import sys, zipfile
                    z = zipfile.ZipFile(sys.argv[1])
                    assert z.testzip() is None
                    assert len({z.read(n) for n in z.namelist()}) == 1 and len(z.namelist()) == 12
                    """, url.path,
                ]) == 0)
    }

    @Test func moreThan65535EntriesUseTheZIP64EndRecords() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("many.zip")
        let zip = try ZIPFileWriter(url: url)
        let byte = Data([0x41])
        let count = 70_000
        for index in 0..<count {
            try zip.add(
                path: "e/\(index)", method: .stored, crc32: byte.crc32(checksum: 0), uncompressedSize: 1, data: byte)
        }
        try zip.finish()
        let archive = try Archive(url: url, accessMode: .read)
        var seen = 0
        for _ in archive { seen += 1 }
        #expect(seen == count)
        var last = Data()
        _ = try archive.extract(try #require(archive["e/69999"]), skipCRC32: false) { last.append($0) }
        #expect(last == byte)
        // Transfert's own reader takes the ZIP64 end records and proves all 70,000 records.
        let bundle = try BundleArchive(url: url)
        #expect(bundle.entryOrder.count == count && bundle.safetyProblems().isEmpty)
        var read = Data()
        try bundle.stream("e/69999") { read.append($0) }
        #expect(read == byte)
        // And as independent readers see it.
        #expect(
            try run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    """
                    import sys, zipfile
                    z = zipfile.ZipFile(sys.argv[1])
                    assert len(z.infolist()) == 70000, len(z.infolist())
                    assert z.testzip() is None
                    assert z.read('e/123') == b'A'
                    """, url.path,
                ]) == 0)
        #expect(try run("/usr/bin/env", ["unzip", "-tqq", url.path]) == 0)
    }

    func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
