import ArgumentParser
import Foundation

struct FeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract:
            "Keep an establishment's memberships in step with its SIS (Blackboard snapshot flat files, OneRoster CSV).",
        discussion: """
            The profile's `feeds:` key says which tables are courses, persons and memberships. The feed's \
            own state (owner integration, data source, status, availability, role, last seen) lives in the \
            establishment's table transfert_feed_membership, so it travels in every bundle.
            Examples: transfert feed membership --id 2 --operation store memberships.txt
                      transfert feed membership --id 2 --operation refresh --dry-run memberships.txt
                      transfert feed show --id 2 --person eleve.12
                      transfert feed purge --id 2 --older-than 365d
            """,
        subcommands: [
            FeedMembershipCommand.self, FeedShowCommand.self, FeedPurgeCommand.self, FeedCourseSetCommand.self,
        ]
    ).namingRootOptions()
}
