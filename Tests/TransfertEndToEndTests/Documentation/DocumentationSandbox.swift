import Foundation

/// A fresh temporary directory laid out like a clone of the repository, where the documentation's
/// examples are pasted: `Samples/` (linked: the examples only read it), a copy of `Tests/Fixtures/` (an
/// example that wrote beside a fixture could not dirty the repository), no Makefile, and the binary
/// under test where `make build` leaves the release one.
///
/// Two things an operator has and a test does not are provided visibly, in `doc-test-bin/` first on the
/// PATH: `transfert` (the binary under test) and a `make` that accepts only `build` — the binary is
/// already built, so it says so and does nothing. `$EDITOR` is `true`: an edit the guide suggests leaves
/// the file as it is.
final class DocumentationSandbox {
    let root: URL
    var clone: URL { root.appendingPathComponent("clone") }
    var bin: URL { root.appendingPathComponent("doc-test-bin") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "transfert-doc-\(UUID().uuidString.prefix(8))")
        let files = FileManager.default
        for folder in ["clone/Tests", "clone/.build/release", "doc-test-bin", "srv", "tmp", "home"] {
            try files.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try files.createSymbolicLink(
            at: clone.appendingPathComponent("Samples"),
            withDestinationURL: repositoryRoot.appendingPathComponent("Samples"))
        try files.copyItem(
            at: repositoryRoot.appendingPathComponent("Tests/Fixtures"),
            to: clone.appendingPathComponent("Tests/Fixtures"))
        let binary = URL(fileURLWithPath: transfertBinary)
        try files.createSymbolicLink(
            at: clone.appendingPathComponent(".build/release/transfert"), withDestinationURL: binary)
        try files.createSymbolicLink(at: bin.appendingPathComponent("transfert"), withDestinationURL: binary)
        let make = bin.appendingPathComponent("make")
        try Self.makeShim.write(to: make, atomically: true, encoding: .utf8)
        try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: make.path)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Runs `script` with bash in the clone; standard output and error together, in order.
    func run(_ script: DocumentationScript) throws -> (status: Int32, output: String) {
        let scriptFile = root.appendingPathComponent("examples.sh")
        try script.text.write(to: scriptFile, atomically: true, encoding: .utf8)
        return try bash([scriptFile.path])
    }

    /// Runs `bash ARGUMENTS` in the clone, with ``environment`` and `extra`; both streams, in order.
    func bash(_ arguments: [String], extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let outputFile = root.appendingPathComponent("bash-\(UUID().uuidString.prefix(8)).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["--noprofile", "--norc"] + arguments
        process.currentDirectoryURL = clone
        process.environment = environment.merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8))
    }

    /// What the shell starts with: nothing of the test process's own settings (no TRANSFERT_HOSTING, no
    /// terminal), the tools of its PATH behind `doc-test-bin/`.
    private var environment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return [
            "PATH": "\(bin.path):\(inherited)", "HOME": root.appendingPathComponent("home").path,
            "TMPDIR": root.appendingPathComponent("tmp").path, "LANG": "C.UTF-8", "TERM": "dumb", "EDITOR": "true",
            "TRANSFERT_BIN": transfertBinary, "DOC_TEST_ROOT": root.path,
        ]
    }

    private static let makeShim = """
        #!/bin/sh
        # The documentation test's `make` (Tests/TransfertEndToEndTests/Documentation): the binary under test
        # is built already, and .build/release/transfert links to it. Any other target is refused.
        if [ "$*" = build ]; then
          echo "doc-test: make build: not run, the binary under test is already built ($TRANSFERT_BIN)"
          exit 0
        fi
        echo "doc-test: make $* is not something the documentation test runs (only make build)" >&2
        exit 1

        """
}
