import Foundation

/// The bundles the console's own export jobs left that hold an establishment: what `structure remove
/// --verified-by` may be given from the removal page. Only these are offered — never a path typed in a
/// form — and each is found again by its job and its plain file names when the form comes back.
struct RemovalBundles: Sendable {
    struct Bundle: Sendable, Equatable {
        var jobID: String
        /// The two files' shared name, without `.csv`/`.zip`.
        var name: String
        var endedAt: Date?

        /// The form's value: `JOB/NAME`.
        var key: String { "\(jobID)/\(name)" }
    }

    let store: JobStore

    /// Succeeded jobs that named `baseID` and produced a `NAME.csv` beside a `NAME.zip`, newest first.
    func bundles(for baseID: Int64) -> [Bundle] {
        store.recent().filter { $0.state == .succeeded && $0.establishments.contains(baseID) }.flatMap { job in
            let files = Set(store.producedFiles(of: job.id))
            return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }
                .filter { files.contains($0 + ".zip") }.sorted()
                .map { Bundle(jobID: job.id, name: $0, endedAt: job.endedAt) }
        }
    }

    /// The CSV and ZIP of the bundle `key` names, if it is still one of ``bundles(for:)``.
    func files(key: String, for baseID: Int64) -> (csv: URL, zip: URL)? {
        guard let bundle = bundles(for: baseID).first(where: { $0.key == key }),
            let csv = store.producedFile(of: bundle.jobID, named: bundle.name + ".csv"),
            let zip = store.producedFile(of: bundle.jobID, named: bundle.name + ".zip")
        else { return nil }
        return (csv, zip)
    }
}
