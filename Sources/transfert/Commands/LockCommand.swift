import ArgumentParser
import TransfertKit

struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "Show and release establishment access locks.",
        subcommands: [List.self, Release.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List current locks (locks of dead processes are removed).")
        @OptionGroup var hostingOptions: HostingOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let locks = try hostingOptions.open().registry.locks()
            if output.json { return try printJSON(locks) }
            var table = TextTable(columns: [.init("Id", alignment: .right), .init("Kind"), .init("Message"), .init("Holder"), .init("Since")])
            for lock in locks {
                table.append([String(lock.baseID), lock.kind.rawValue, lock.message,
                              lock.ownerPID.map { "pid \($0) on \(lock.ownerHost ?? "?")" } ?? "kept", lock.createdAt])
            }
            print(table.render())
            print("\(locks.count) lock\(locks.count == 1 ? "" : "s")")
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release the locks of establishments (e.g. after --keep-locked).")
        @OptionGroup var hostingOptions: HostingOptions
        @Option(name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"), transform: parseIDList)
        var ids: [Int64]

        func run() throws {
            let registry = try hostingOptions.open().registry
            for id in ids { try registry.releaseLock(baseID: id) }
            print("Released the locks of \(ids.map(String.init).joined(separator: ", ")).")
        }
    }
}
