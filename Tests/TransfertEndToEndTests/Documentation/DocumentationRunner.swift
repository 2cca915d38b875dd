import Foundation
import TransfertTestSupport

/// Runs documentation blocks in order in one shell, in a fresh ``DocumentationSandbox``, after starting
/// what their markers ask for: the throwaway MariaDB server and PostgreSQL cluster (with the guide's operator
/// account or role) and the SMTP sink that stands in for the mail relay.
final class DocumentationRunner {
    /// How a run went.
    struct Outcome {
        var status: Int32
        var output: String
        /// The markdown line the failing command is on, when the script stopped on one.
        var failure: DocumentationScript.Place?
        /// The blocks a `skip:` marker kept from running.
        var skipped: [DocumentationBlock]
    }

    /// A marker whose text is not in its block: it would change nothing, so the block would run against
    /// the example's address rather than the test's.
    struct MarkerNotInBlock: Error, CustomStringConvertible {
        var place: String
        var text: String
        var description: String { "\(place): the doc-test marker names \"\(text)\", which the block does not contain" }
    }

    /// The throwaway server would not create the guide's operator account.
    struct AccountRefused: Error, CustomStringConvertible {
        var account: String
        var output: String
        var description: String { "creating the guide's database account \(account) failed: \(output)" }
    }

    let sandbox: DocumentationSandbox
    /// The relay letters are delivered to, once a block configured it.
    private(set) var sink: SMTPSink?
    private var accounts: Set<String> = []

    init() throws {
        sandbox = try DocumentationSandbox()
    }

    func run(_ blocks: [DocumentationBlock]) throws -> Outcome {
        let skipped = blocks.filter { $0.skipReason != nil }
        let script = try DocumentationScript(
            blocks: blocks.filter { $0.skipReason == nil }, root: sandbox.root.path, rewrite: rewrite)
        let (status, output) = try sandbox.run(script)
        let failureLine = output.components(separatedBy: "\n").last { $0.hasPrefix("doc-test-failure-line ") }
            .flatMap { Int($0.dropFirst("doc-test-failure-line ".count)) }
        return Outcome(
            status: status, output: output, failure: failureLine.flatMap(script.place(ofScriptLine:)), skipped: skipped)
    }

    /// A block's lines with what its markers say applied.
    private func rewrite(_ block: DocumentationBlock) throws -> [String] {
        var code = block.code.joined(separator: "\n")
        for marker in block.markers {
            switch marker {
            case .skip:
                break
            case .mariaDB(let address, let account, let password):
                guard code.contains(address) else { throw MarkerNotInBlock(place: block.place, text: address) }
                let server = try MariaDBTestServer.shared()
                try createAccount(account, password: password, on: server)
                code = code.replacingOccurrences(of: address, with: "127.0.0.1:\(server.port)")
            case .postgreSQL(let address, let account, let password):
                guard code.contains(address) else { throw MarkerNotInBlock(place: block.place, text: address) }
                let server = try PostgreSQLTestServer.shared()
                try createRole(account, password: password, on: server)
                code = code.replacingOccurrences(of: address, with: "127.0.0.1:\(server.port)")
            case .smtpRelay(let text):
                guard code.contains(text) else { throw MarkerNotInBlock(place: block.place, text: text) }
                let sink = try self.sink ?? SMTPSink(store: sandbox.root.appendingPathComponent("smtp-sink"))
                self.sink = sink
                code = code.replacingOccurrences(
                    of: text, with: String(text.reversed().drop { $0.isNumber }.reversed()) + "\(sink.port)")
            }
        }
        return code.components(separatedBy: "\n")
    }

    /// The operator account the guide's privileges section shows, created as MariaDB's root would.
    private func createAccount(_ account: String, password: String, on server: MariaDBTestServer) throws {
        guard !accounts.contains(account) else { return }
        let created = try server.client(
            "CREATE USER '\(account)'@'%' IDENTIFIED BY '\(password)'; "
                + "GRANT ALL PRIVILEGES ON *.* TO '\(account)'@'%' WITH GRANT OPTION;")
        guard created.status == 0 else {
            throw AccountRefused(account: account, output: created.output)
        }
        accounts.insert(account)
    }

    /// The operator role the guide's PostgreSQL section shows, created as PostgreSQL's superuser would, once per
    /// cluster (roles are the cluster's, and the test process shares one).
    private func createRole(_ role: String, password: String, on server: PostgreSQLTestServer) throws {
        let created = try server.client(
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN
                CREATE ROLE \(role) LOGIN CREATEDB CREATEROLE PASSWORD '\(password)';
              END IF;
            END $$
            """)
        guard created.status == 0 else { throw AccountRefused(account: role, output: created.output) }
    }
}
