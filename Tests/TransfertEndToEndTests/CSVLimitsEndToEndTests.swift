import Foundation
import Testing

/// CSVs under the 64 MiB limit shaped to exhaust a reader that keeps the whole file (a 50 MB field,
/// millions of blank lines, a line of 60 million separators, a line of quotes, a line without separator,
/// CR line ends, the same in UTF-16, a Windows-1252 field): `verify` and `import --dry-run` run under
/// `/usr/bin/time -v` refuse each with its line, in bounded memory. Before the streaming reader, they took
/// up to 5.6 GiB and one never finished (Docs/reliability.md, "CSV limits").
@Suite("CSV limits, end to end", .serialized)
struct CSVLimitsEndToEndTests {
    /// The ceiling of the brief: peak RSS of the whole command.
    static let maximumKiB = 128 * 1024

    static let header = Array(
        "Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier\r\n"
            .utf8)
    /// Just under the reader's 64 MiB.
    static let size = 64 * 1024 * 1024 - 4096

    /// Each case: its bytes, and what the refusal of the rows says (any of).
    static let cases: [(name: String, bytes: @Sendable () -> [UInt8], refusal: [String])] = [
        (
            "a 50 MB quoted field",
            {
                header + Array("1;;1;\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 50_000_000)
                    + Array("\";x\r\n".utf8)
            },
            ["longer than 32767 characters"]
        ),
        (
            "4.4 million blank lines", { header + Array(repeating: 0x0A, count: 4_400_000) },
            ["no establishment row", "not in the CSV", "is not"]
        ),
        (
            "60 million separators on one line", { header + Array(repeating: UInt8(ascii: ";"), count: 60_000_000) },
            ["more than 16384 fields"]
        ),
        (
            "a line of quotes",
            { header + Array("1;;\"".utf8) + Array(repeating: UInt8(ascii: "\""), count: size - 200) },
            ["longer than 32767 characters"]
        ),
        (
            "a line without a separator", { header + Array(repeating: UInt8(ascii: "x"), count: size - 200) },
            ["longer than 32767 characters"]
        ),
        (
            "CR line ends only", { header.dropLast() + Array(repeating: 0x0D, count: size - 200) },
            ["no establishment row", "not in the CSV", "is not"]
        ),
        (
            "UTF-16 separators",
            {
                let text =
                    Array(String(decoding: header, as: UTF8.self).utf16)
                    + Array(repeating: UInt16(0x3B), count: 30_000_000)
                return [0xFF, 0xFE] + text.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            }, ["more than 16384 fields"]
        ),
        (
            "a Windows-1252 field of euro signs",
            {
                Array("Id_Export;Id_Import;Id_Zone;Localisation;D".utf8) + [0xE9]
                    + Array("nomination;UAI;Contact_Nom;Contact_Pr".utf8) + [0xE9]
                    + Array("nom;Contact_Courriel;Date_Inscription;Nom_fichier\r\n1;;1;".utf8)
                    + Array(repeating: 0x80, count: size - 200)
            }, ["longer than 32767 characters"]
        ),
    ]

    /// Runs `transfert` under `/usr/bin/time -v`: its result and its peak RSS in KiB.
    func timed(_ workspace: Workspace, _ arguments: [String], hosting: String) throws -> (ProcessResult, Int) {
        let time = "/usr/bin/time"
        try #require(
            FileManager.default.isExecutableFile(atPath: time), "GNU time must be installed (Debian package time)")
        let report = workspace.path("time.txt")
        let result = try run(
            time, ["-v", "-o", report, transfertBinary, "--hosting", workspace.path(hosting)] + arguments,
            currentDirectory: workspace.url)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("Maximum resident set size") })
        let kib = try #require(Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)))
        return (result, kib)
    }

    @Test func everyShapeIsRefusedWithItsLineInBoundedMemory() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/")
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "3"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")], hosting: "source")
        let zipName = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let zip = workspace.path("out/\(zipName)")
        let csv = workspace.path("hostile.csv")
        for shape in Self.cases {
            let bytes = shape.bytes()
            #expect(bytes.count <= 64 * 1024 * 1024, "\(shape.name): under the size limit")
            try Data(bytes).write(to: URL(fileURLWithPath: csv))
            for (command, arguments) in [
                ("verify", ["verify", csv, zip]), ("import --dry-run", ["import", "--dry-run", csv, zip]),
            ] {
                let (result, kib) = try timed(workspace, arguments, hosting: "target")
                #expect(result.status != 0, "\(shape.name), \(command): refused\n\(result.transcript.prefix(2_000))")
                let output = result.stdout + result.stderr
                #expect(
                    shape.refusal.contains { output.contains($0) }, "\(shape.name), \(command): \(output.prefix(2_000))"
                )
                #expect(
                    !output.contains("Fatal error") && !output.contains("Stack dump"),
                    "\(shape.name), \(command): no trap")
                #expect(kib <= Self.maximumKiB, "\(shape.name), \(command): peak RSS \(kib) KiB")
                if let table = ProcessInfo.processInfo.environment["TRANSFERT_CSV_LIMITS_REPORT"] {
                    let line = "\(shape.name)\t\(command)\t\(kib)\n"
                    if let handle = FileHandle(forWritingAtPath: table) {
                        handle.seekToEndOfFile()
                        handle.write(Data(line.utf8))
                        handle.closeFile()
                    } else {
                        try Data(line.utf8).write(to: URL(fileURLWithPath: table))
                    }
                }
            }
            // The refusal names the line: every shape's problem is on line 2 or is the lack of rows.
            let (result, _) = try timed(workspace, ["import", "--dry-run", csv, zip], hosting: "target")
            let output = result.stdout + result.stderr
            #expect(
                output.contains("line 2") || output.contains("no establishment row"),
                "\(shape.name): \(output.prefix(1_000))")
        }
    }

    /// A hosting that already holds the largest id (an `Id_Import` chose it): rows without `Id_Import` have
    /// no free id above it. Refused by name, nothing registered; it used to stop the process ("arithmetic
    /// overflow").
    @Test func rowsWithoutAnIdIntoAHostingHoldingTheLargestIDAreRefusedClearly() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/")
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "3"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")], hosting: "source")
        try workspace.succeed(
            [
                "structure", "add", "--id", "9223372036854775807", "--denomination", "Collège Max", "--localisation",
                "Dole",
                "--zone", "1", "--contact-nom", "Max", "--contact-prenom", "Int", "--contact-courriel",
                "max@example.org",
            ], hosting: "target")
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        for arguments in [["import", "--dry-run", csv, zip], ["import", csv, zip]] {
            let result = try workspace.transfert(arguments, hosting: "target")
            #expect(result.status != 0 && result.status < 64, "\(result.transcript)")
            #expect(
                result.stderr.contains("no free id is left above the largest registered id 9223372036854775807"),
                "\(result.transcript)")
            #expect(!result.stderr.contains("Fatal error"), "\(result.transcript)")
        }
        let listed = try workspace.succeed(["structure", "list", "--json"], hosting: "target")
        #expect(
            !listed.stdout.contains("Lycée") && !listed.stdout.contains("\"base_id\" : 1,"),
            "nothing half-imported: \(listed.stdout)")
    }
}
