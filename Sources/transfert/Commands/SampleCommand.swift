import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct SampleCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Fill the hosting with realistic, deterministic establishments.",
        discussion: """
            About 500 grade rows are generated per student: --students 2000 gives about a million grades (70 MB).
            The same --seed on an empty hosting always gives the same content. A hosting with SACoche's profile \
            gets SACoche's tables (users, classes, frameworks, devoirs, saisies); any other profile is refused \
            before anything is created.
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(help: "How many establishments to add.") var structures: Int
    @Option(help: "Students per establishment.") var students: Int = 120
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func validate() throws {
        guard (1...10_000).contains(structures) else {
            throw ValidationError("--structures must be between 1 and 10000.")
        }
        guard (1...1_000_000).contains(students) else {
            throw ValidationError("--students must be between 1 and 1000000.")
        }
    }

    func run() throws {
        let hosting = try hostingOptions.open()
        let progress = progressOptions.start(task: "sample", itemName: "establishments", unit: .items, output: output)
        defer { progress?.end() }
        let created = try SampleGenerator(structures: structures, students: students, seed: seed).fill(
            hosting, work: progress?.work
        ) { structure in
            guard !output.json else { return }
            let line = "Added \(structure.baseID): \(structure.displayName)"
            if let progress { progress.printAbove(line) } else { print(line) }
        }
        progress?.end()
        if output.json { try printJSON(created) }
    }
}
