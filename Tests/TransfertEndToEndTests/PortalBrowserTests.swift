import Foundation
import Testing

/// What a time-limited run left behind.
private struct LimitedRun {
    var status: Int32
    var timedOut: Bool
    var stdout: Data
    var stderr: String
}

/// Runs `executable` for at most `seconds` (then SIGTERM, and SIGKILL two seconds later), its output in
/// files of `directory` so that nothing blocks on a pipe.
private func runLimited(_ executable: String, _ arguments: [String], seconds: TimeInterval, in directory: URL) throws
    -> LimitedRun
{
    let name = UUID().uuidString
    let out = directory.appendingPathComponent("\(name).out")
    let err = directory.appendingPathComponent("\(name).err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    let timedOut = process.isRunning
    if timedOut {
        process.terminate()
        let grace = Date().addingTimeInterval(2)
        while process.isRunning && Date() < grace { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    process.waitUntilExit()
    return LimitedRun(
        status: process.terminationStatus, timedOut: timedOut, stdout: try Data(contentsOf: out),
        stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}

@Suite("The portal in a browser")
struct PortalBrowserTests {
    @Test func theMaintenancePageRendersInHeadlessChromium() throws {
        let chromium = try #require(which("chromium"), "chromium must be installed: make setup-test")
        let workspace = try MaintenanceFixture.workspace()
        let plan = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "2", "--start", "now", "--duration", "45m", "--json",
        ])
        let during = try #require(plan["during"] as? String)
        let server = try PortalServer(workspace)
        let url = "\(server.base)/?id=2"
        #expect(try httpGet(url).status == 503, "the page under test is the maintenance page")

        let outputDirectory = repositoryRoot.appendingPathComponent(".build/test-output")
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let screenshot = outputDirectory.appendingPathComponent("portal-maintenance.png")
        try? FileManager.default.removeItem(at: screenshot)
        let common = ["--headless", "--no-sandbox", "--disable-gpu"]

        let shot = try runLimited(
            chromium,
            common + [
                "--hide-scrollbars", "--window-size=1000,700",
                "--user-data-dir=\(workspace.path("chromium-screenshot"))",
                "--screenshot=\(screenshot.path)", url,
            ],
            seconds: 60, in: workspace.url)
        #expect(!shot.timedOut, "chromium --screenshot took more than 60 s")
        #expect(shot.status == 0, "chromium --screenshot failed (exit \(shot.status)):\n\(shot.stderr.suffix(3_000))")
        let png = try #require(
            try? Data(contentsOf: screenshot), "no screenshot at \(screenshot.path):\n\(shot.stderr.suffix(3_000))")
        #expect(png.count > 5_000, "a blank page would be tiny: \(png.count) bytes")
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "PNG signature")
        if png.count >= 24 {
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1000 && height == 700, "IHDR says \(width)×\(height)")
        }

        let dump = try runLimited(
            chromium, common + ["--user-data-dir=\(workspace.path("chromium-dom"))", "--dump-dom", url],
            seconds: 60, in: workspace.url)
        #expect(!dump.timedOut, "chromium --dump-dom took more than 60 s")
        #expect(dump.status == 0, "chromium --dump-dom failed (exit \(dump.status)):\n\(dump.stderr.suffix(3_000))")
        let dom = String(decoding: dump.stdout, as: UTF8.self)
        #expect(dom.contains("<html lang=\"fr\">"), "\(dom.prefix(500))")
        let text = try visibleText(dom)
        #expect(text.contains("Maintenance en cours"), "\(text)")
        #expect(text.contains("École primaire Jules Ferry"), "\(text)")
        #expect(text.contains(during), "\(text)")
        #expect(text.contains("Merci de réessayer plus tard."), "\(text)")
        #expect(!text.contains("L'accès à l'établissement est ouvert."), "\(text)")
    }
}
