import Foundation
import TransfertModel

/// Compares row counts and content digests, table by table.
public enum DigestComparison {
    /// Every difference between `expected` (the bundle) and `actual` (a database), in words naming the table
    /// (also its `field`). `actualLabel` says what `actual` is ("the restored copy", "the live database").
    public static func differences(expected: [TableDigest], actual: [TableDigest], actualLabel: String) -> [Problem] {
        var problems: [Problem] = []
        func differ(_ code: ProblemCode, _ table: String, _ message: String) {
            problems.append(Problem(code: code, message: message, location: ProblemLocation(field: table)))
        }
        let actualByName = Dictionary(actual.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        let expectedNames = Set(expected.map(\.table))
        for table in expected {
            guard let found = actualByName[table.table] else {
                differ(.digestMissingTable, table.table, "table \(table.table) is missing from \(actualLabel)")
                continue
            }
            if found.rows != table.rows {
                differ(
                    .digestRowCount, table.table,
                    "table \(table.table) has \(found.rows) rows in \(actualLabel) where the bundle has \(table.rows)")
            } else if !table.sha256.isEmpty, found.sha256 != table.sha256 {
                // (An empty digest means none is known: a SACoche bundle.)
                differ(
                    .digestContent, table.table,
                    "table \(table.table) differs between \(actualLabel) and the bundle (same \(table.rows) rows, different content digest)"
                )
            }
        }
        for table in actual where !expectedNames.contains(table.table) {
            differ(
                .digestUnexpectedTable, table.table, "table \(table.table) is in \(actualLabel) but not in the bundle")
        }
        return problems
    }

    /// Differences between the uploads recorded in the bundle and the files in `directory`, each naming its
    /// upload (also its `file`, relative to the establishment's files).
    package static func fileDifferences(expected: [BundleManifest.Entry], prefix: String, directory: URL, label: String)
        throws -> [Problem]
    {
        var problems: [Problem] = []
        func differ(_ code: ProblemCode, _ file: String, _ message: String) {
            problems.append(Problem(code: code, message: message, location: ProblemLocation(file: file)))
        }
        let actual = Dictionary(
            try FileTree.digests(of: directory).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for entry in expected {
            let relative = String(entry.path.dropFirst(prefix.count))
            seen.insert(relative)
            guard let file = actual[relative] else {
                differ(.digestMissingFile, relative, "file \(relative) is missing from \(label)")
                continue
            }
            if file.size != entry.size || file.sha256 != entry.sha256 {
                differ(.digestFileDiffers, relative, "file \(relative) differs between \(label) and the bundle")
            }
        }
        for path in actual.keys.sorted() where !seen.contains(path) {
            differ(.digestUnexpectedFile, path, "file \(path) is in \(label) but not in the bundle")
        }
        return problems
    }
}
