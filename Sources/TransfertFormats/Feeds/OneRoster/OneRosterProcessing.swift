import Foundation

/// How `manifest.csv` says a OneRoster 1.1 CSV file is to be processed (`file.enrollments` and its kin).
public enum OneRosterProcessing: String, Sendable, CaseIterable {
    /// The file is the whole truth: what it lacks no longer exists (a complete refresh).
    case bulk
    /// The file holds changes only, each row `active` (create or update) or `tobedeleted`.
    case delta
    /// The file is not in the package.
    case absent
}
