/// The import of a bundle as a job: `transfert import CSV ZIP --progress json [options]`, its result table
/// (`.result.csv`, `.result.json`) and its signed receipt written into the job's own files, whichever
/// directory the bundle is in — so the job page offers the receipt for download, which the operator carries
/// to the source's console (Moves) to confirm the move.
enum ImportJob {
    static let kind = "import"

    static func start(
        _ bundle: ImportBundle, options: ImportFormOptions, planned: [Int64], user: String, jobs: JobRunner
    ) async throws -> ConsoleJob {
        let name = bundle.baseName
        return try await jobs.start(
            kind: kind, title: "Import \(bundle.zip.lastPathComponent)", user: user,
            arguments: ["import", bundle.csv.path, bundle.zip.path, "--progress", "json"] + options.importArguments + [
                "--result={files}/\(name).result.csv", "--receipt={files}/\(name).receipt.json",
            ],
            establishments: planned, details: ["bundle": bundle.id])
    }
}
