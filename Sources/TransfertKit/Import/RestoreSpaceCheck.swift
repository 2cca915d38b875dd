import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Room for a restore, checked before anything is written: what the bundle declares each establishment
/// will take (its dump's size, for a database on this machine, and its uploaded files) against what the
/// file systems that will hold it have free.
///
/// A dump's size stands for its database's: a SQLite database holds the same values without the SQL
/// text around them, so it is rarely larger. A MariaDB database lives on the server's disk, which this
/// machine cannot see: only uploaded files are counted then. The declared sizes are those the reader
/// holds every entry to (``ZIPEntryInflater``), so a bundle cannot write more than was checked here.
struct RestoreSpaceCheck {
    var diskSpace: DiskSpace = .system

    /// The restores an import is about to make into `hosting`.
    func requireRoom(for establishments: [BundleManifest.Establishment], in hosting: Hosting) throws(DiskSpaceError) {
        var needs: [(directory: URL, bytes: UInt64, what: String)] = []
        if hosting.backend is SQLiteBackend {
            needs.append(
                (
                    hosting.directory.appendingPathComponent("bases"),
                    DiskSpace.total(establishments.map { Self.bytes($0.dumpBytes) }),
                    "\(establishments.count) database(s) restored from their dumps"
                ))
        }
        needs.append(
            (
                hosting.directory.appendingPathComponent("files"),
                DiskSpace.total(establishments.flatMap { $0.files.map { Self.bytes($0.size) } }), "the uploaded files"
            ))
        try require(needs)
    }

    /// `verify --deep`'s scratch restores in `directory`, `concurrent` at once (each is removed before
    /// the next starts in its slot): room for the largest ones together.
    func requireScratchRoom(for establishments: [BundleManifest.Establishment], concurrent: Int, in directory: URL)
        throws(DiskSpaceError)
    {
        let largest = establishments.map { Self.bytes($0.dumpBytes) }.sorted(by: >).prefix(max(concurrent, 1))
        try diskSpace.require(
            DiskSpace.total(largest), in: directory,
            for: "the scratch databases of verify --deep (\(largest.count) restored at once)")
    }

    /// Needs on one file system are added up before they are compared with its free space.
    private func require(_ needs: [(directory: URL, bytes: UInt64, what: String)]) throws(DiskSpaceError) {
        var groups: [(device: UInt64?, directory: URL, bytes: UInt64, what: [String])] = []
        for need in needs where need.bytes > 0 {
            let device = Self.device(of: need.directory)
            if let device, let index = groups.firstIndex(where: { $0.device == device }) {
                groups[index].bytes = DiskSpace.total([groups[index].bytes, need.bytes])
                groups[index].what.append(need.what)
            } else {
                groups.append((device, need.directory, need.bytes, [need.what]))
            }
        }
        for group in groups {
            try diskSpace.require(group.bytes, in: group.directory, for: group.what.joined(separator: " and "))
        }
    }

    /// A size read from a manifest: never negative here.
    private static func bytes(_ size: Int64) -> UInt64 { UInt64(clamping: size) }

    /// The file system holding `directory` (or its nearest existing parent).
    private static func device(of directory: URL) -> UInt64? {
        var url = directory.standardizedFileURL
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" { url.deleteLastPathComponent() }
        var status = stat()
        guard stat(url.path, &status) == 0 else { return nil }
        return UInt64(status.st_dev)
    }
}
