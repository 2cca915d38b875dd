import Foundation
import TransfertFormats
import TransfertModel

/// What `init` checks and prepares on a MariaDB server before anything of a hosting is written: the
/// registry's database, and that the operator's account may do what every later command needs —
/// create and drop databases and accounts and grant them — so that a missing privilege is a clear refusal
/// at `init`, not a failure halfway through an import.
struct MariaDBProvisioning {
    let settings: MariaDBSettings
    let prefix: String

    func prepare() throws {
        guard let registry = settings.database else {
            throw DatabaseURLError.invalid(
                .mariadb, settings.url, "the URL names no registry database (mysql://USER@HOST:PORT/REGISTRY_DB)")
        }
        let admin = try MariaDBConnection(settings.with(database: nil))
        try require("CREATE DATABASE (to create the registry database \(registry))") {
            try admin.execute(
                "CREATE DATABASE IF NOT EXISTS \(MySQLQuoting.identifier(registry)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
        }
        // A rehearsal of what an import does, undone at once.
        let probe = "\(prefix)probe_\(UUID().uuidString.prefix(8).lowercased())"
        defer {
            try? admin.execute("DROP USER IF EXISTS \(admin.literal(probe))@'%'")
            try? admin.execute("DROP DATABASE IF EXISTS \(MySQLQuoting.identifier(probe))")
        }
        try require("CREATE and DROP (for the establishments' databases)") {
            try admin.execute("CREATE DATABASE \(MySQLQuoting.identifier(probe))")
        }
        try require("CREATE USER (each establishment gets its own account)") {
            try admin.execute(
                "CREATE USER \(admin.literal(probe))@'%' IDENTIFIED BY \(admin.literal(UUID().uuidString))")
        }
        try require("GRANT OPTION with ALL PRIVILEGES (to grant each account its database)") {
            try admin.execute(
                "GRANT ALL PRIVILEGES ON \(MySQLQuoting.identifier(probe)).* TO \(admin.literal(probe))@'%'")
        }
        try require("DROP (to remove establishments and failed imports)") {
            try admin.execute("DROP USER \(admin.literal(probe))@'%'")
            try admin.execute("DROP DATABASE \(MySQLQuoting.identifier(probe))")
        }
    }

    private func require(_ privilege: String, _ body: () throws -> Void) throws {
        do { try body() } catch let error as MariaDBError
            where [1044, 1045, 1142, 1227, 1410, 1396].contains(error.code)
        {
            throw MariaDBProvisioningError(
                server: settings.server, user: settings.user, privilege: privilege, reason: error.message)
        }
    }
}

/// The operator's account cannot do something every hosting needs.
package struct MariaDBProvisioningError: Error, Equatable, Sendable, CustomStringConvertible {
    package var server: String
    package var user: String
    package var privilege: String
    package var reason: String

    package var description: String {
        "MariaDB server \(server): the account \(user) lacks a privilege Transfert needs: \(privilege) (the server said: \(reason)). Nothing was created. Grant it (see \"MariaDB\" in Docs/user-guide.md) and run init again"
    }
}

extension MariaDBProvisioningError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode { .mariadbProvisioning }
}
