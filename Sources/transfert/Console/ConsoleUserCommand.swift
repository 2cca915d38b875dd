import ArgumentParser
import Foundation
import TransfertConsole
import TransfertKit

/// `transfert console user add|list|password|role|remove`: the console's accounts, kept in the hosting's
/// `console/users.json` (bcrypt hashes, owner-only).
struct ConsoleUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create, list, change and remove the console's accounts.",
        subcommands: [Add.self, List.self, Password.self, Role.self, Remove.self]
    ).namingRootOptions()

    struct Add: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Create an account (the password is read from the terminal, or from --password-file).",
            discussion: "Example: transfert console user add marie --role webmaster"
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Argument(help: "The name to sign in with: letters, digits, '.', '_', '-', '@'.") var name: String
        @Option(help: "webmaster (changes the hosting) or auditor (sees everything, changes nothing).")
        var role: ConsoleRole = .webmaster
        @Option(
            name: .customLong("password-file"),
            help: ArgumentHelp(
                "Read the password from this file's first line (- for standard input).", valueName: "file"))
        var passwordFile: String?

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let password = try ConsolePasswordInput(file: passwordFile).read(confirm: true)
                let user = try ConsoleAccounts(hosting: hosting.directory).add(
                    name: name, role: role, password: password)
                if output.json { return try printJSON(["name": user.name, "role": user.role.rawValue]) }
                print("Console account '\(user.name)' created (\(user.role.rawValue)).")
            }
        }
    }

    struct List: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")
            .namingRootOptions()
        @ParentCommand var transfert: Transfert

        func run() throws {
            try reportingErrors(json: output.json) {
                let users = try ConsoleAccounts(hosting: try hostingOptions.open().directory).all()
                if output.json {
                    return try printJSON(users.map { ["name": $0.name, "role": $0.role.rawValue] })
                }
                if users.isEmpty { print("No console account: `transfert console user add NAME` creates one.") }
                for user in users { print("\(user.name)\t\(user.role.rawValue)") }
            }
        }
    }

    struct Password: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "password", abstract: "Change an account's password."
        )
        .namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Argument(help: "The account.") var name: String
        @Option(
            name: .customLong("password-file"),
            help: ArgumentHelp(
                "Read the password from this file's first line (- for standard input).", valueName: "file"))
        var passwordFile: String?

        func run() throws {
            try reportingErrors(json: output.json) {
                let accounts = ConsoleAccounts(hosting: try hostingOptions.open().directory)
                guard try accounts.user(named: name) != nil else { throw ConsoleAccountError.unknown(name) }
                try accounts.setPassword(
                    name: name, password: try ConsolePasswordInput(file: passwordFile).read(confirm: true))
                if !output.json { print("Password of '\(name)' changed.") }
            }
        }
    }

    struct Role: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change an account's role.")
            .namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Argument(help: "The account.") var name: String
        @Argument(help: "webmaster or auditor.") var role: ConsoleRole

        func run() throws {
            try reportingErrors(json: output.json) {
                try ConsoleAccounts(hosting: try hostingOptions.open().directory).setRole(name: name, role: role)
                if !output.json { print("'\(name)' is now \(role.rawValue).") }
            }
        }
    }

    struct Remove: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove an account (its open sessions end at their next request)."
        )
        .namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Argument(help: "The account.") var name: String

        func run() throws {
            try reportingErrors(json: output.json) {
                try ConsoleAccounts(hosting: try hostingOptions.open().directory).remove(name: name)
                if !output.json { print("Console account '\(name)' removed.") }
            }
        }
    }
}

extension ConsoleRole: ExpressibleByArgument {}
