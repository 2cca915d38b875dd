import Foundation
import TransfertFormats
import TransfertModel

/// Which process made a scratch database, written in its name (`<host>_<pid>`): a short digest of this
/// host's name and the process id. A later process of the same host drops the scratch databases of
/// processes that are gone (killed before they could clean up); it never touches another host's, nor a
/// live process's.
struct ScratchDatabaseOwner: Equatable {
    /// Four hexadecimal digits of this host's name (FNV-1a): names stay within PostgreSQL's 63 bytes.
    let host: String
    let pid: Int32

    static let current = ScratchDatabaseOwner(
        host: hostTag(ProcessInfo.processInfo.hostName), pid: ProcessInfo.processInfo.processIdentifier)

    /// `<host>_<pid>`, as it stands in the name after `<prefix>scratch_`.
    var tag: String { "\(host)_\(pid)" }

    static func hostTag(_ name: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(format: "%04x", hash & 0xFFFF)
    }

    /// The owner written in `name` after `scratchPrefix`, when the name has that shape.
    static func parse(_ name: String, scratchPrefix: String) -> ScratchDatabaseOwner? {
        guard name.hasPrefix(scratchPrefix) else { return nil }
        let parts = name.dropFirst(scratchPrefix.count).split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0].count == 4, let pid = Int32(parts[1]), pid > 0 else { return nil }
        return ScratchDatabaseOwner(host: String(parts[0]), pid: pid)
    }

    /// Whether the process is known to be gone: of this host, and `kill(pid, 0)` says there is no such process.
    var isGoneFromThisHost: Bool {
        host == Self.current.host && pid != Self.current.pid && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Drops every scratch database under `prefix` whose process of this host is gone. A database
    /// someone is connected to is left (DROP without FORCE refuses it).
    func dropLeftovers(prefix: String, settings: PostgreSQLSettings) throws {
        let admin = try PostgreSQLConnection(settings)
        defer { admin.close() }
        let pattern =
            prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "_", with: "\\_")
            .replacingOccurrences(of: "%", with: "\\%") + "%"
        for row in try admin.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [.text(pattern)]) {
            guard case .text(let name) = row.first,
                let owner = Self.parse(name, scratchPrefix: prefix), owner.isGoneFromThisHost
            else { continue }
            try? admin.execute("DROP DATABASE IF EXISTS \(PostgreSQLQuoting.identifier(name))")
        }
    }
}
