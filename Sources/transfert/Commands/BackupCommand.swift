import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up establishments: nightly runs of what changed, manual backups, listing, retention.",
        discussion: """
            Backups go to backup.directory (transfert.yaml; default: backups/ in the hosting), one area per \
            kind: automatic/ (nightly, the newest backup.keep_automatic kept per establishment), yearly/ \
            (run --all), manual/ (create) and private/ (create --anonymise), the last three kept \
            backup.retention_days. Each backup is an ordinary verified bundle (CSV + ZIP) of one \
            establishment, named sauvegarde-<server>-structure-<id>-<name>-<YYYYMMDD-HHMM>, with a \
            <name>.backup.json record beside it. Prune never removes an establishment's last good backup.
            Examples: transfert backup run                  (cron or a systemd timer, nightly)
                      transfert backup run --all            (the yearly full run)
                      transfert backup create --ids 4 --note "avant la réinitialisation"
                      transfert backup list --id 4
                      transfert backup prune --dry-run
            """,
        subcommands: [Run.self, Create.self, List.self, Prune.self]
    ).namingRootOptions()
}

extension BackupRecord.Verification.Verdict {
    /// What `backup list` shows in its Verified column.
    var shown: String {
        switch self {
        case .yes: return "yes"
        case .no: return "no"
        case .failed: return "FAILED"
        }
    }
}
