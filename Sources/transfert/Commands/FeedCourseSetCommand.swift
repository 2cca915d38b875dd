import ArgumentParser
import Foundation
import TransfertKit

struct FeedCourseSetCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "course-set",
        abstract: "Declare a cross-listed course set (its child courses), or list the sets.",
        discussion: """
            A person has one enabled membership among a set's child courses: by default a feed moves it \
            (the old child's is disabled, reported `moved`); feeds.cross_listing: refuse fails the row \
            instead. The sets live in the establishment (transfert_feed_course_set) and travel with it.
            Examples: transfert feed course-set --id 2 --set MATH-6 6A-math 6B-math
                      transfert feed course-set --id 2 --set MATH-6      (no course: the set is removed)
                      transfert feed course-set --id 2                   (lists the sets)
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: "The establishment.") var id: Int64
    @Option(help: "The set's key.") var set: String?
    @Argument(help: "The set's child courses, by course key.") var courses: [String] = []

    func run() throws {
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let state = FeedState(hosting: hosting)
            if let set {
                try state.setCourseSet(baseID: id, set: set, courses: courses)
            }
            let sets = try state.courseSets(baseID: id)
            if output.json { return try printJSON(sets) }
            for (key, members) in sets.sorted(by: { $0.key < $1.key }) {
                print("\(key): \(members.joined(separator: ", "))")
            }
            print("\(sets.count) cross-listed set(s)")
        }
    }
}
