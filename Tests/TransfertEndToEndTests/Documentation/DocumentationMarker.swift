import Foundation

/// What the documentation test is told about one example block, by an HTML comment on the line(s) just
/// before its fence — invisible once the markdown is rendered, plain to anyone editing it:
///
///     <!-- doc-test: skip: why this block cannot run in a test -->
///     <!-- doc-test: mariadb "db.example.org:3306" transfert the-operator-password -->
///     <!-- doc-test: postgres "pg.example.org:5432" transfert the-operator-password -->
///     <!-- doc-test: smtp-relay "port: 25" -->
///
/// A block runs as written unless a marker says otherwise, and a marker says exactly what changes.
enum DocumentationMarker: Equatable {
    /// The block is not run; the reason is printed with the test's report and the skips are counted.
    case skip(reason: String)
    /// The block talks to a MariaDB server at `address` (`host:port`) with the operator account `account`
    /// whose password is `password`: the test runs it against its throwaway server, on which it first
    /// creates that account with the privileges the guide lists, and writes the server's address in
    /// place of `address`.
    case mariaDB(address: String, account: String, password: String)
    /// The block talks to a PostgreSQL server at `address` (`host:port`) with the operator role `account` whose
    /// password is `password`: the test runs it against its throwaway cluster, on which it first creates that
    /// role with exactly the privileges the guide lists (`CREATEDB`, `CREATEROLE`), and writes the cluster's
    /// address in place of `address`.
    case postgreSQL(address: String, account: String, password: String)
    /// The block configures a mail relay: the test starts its SMTP sink (a local relay that keeps what
    /// it receives) and writes `text` with its number replaced by the sink's port, e.g. `port: 25` →
    /// `port: 40123`.
    case smtpRelay(text: String)

    /// A marker comment's text that is not one of the forms above.
    struct Unreadable: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var text: String
        var description: String {
            "\(file):\(line): the doc-test marker '\(text)' is not understood: use skip: REASON, "
                + "mariadb \"HOST:PORT\" ACCOUNT PASSWORD, postgres \"HOST:PORT\" ROLE PASSWORD "
                + "or smtp-relay \"TEXT ENDING WITH A PORT\""
        }
    }

    /// Reads the marker in `comment`, the text between `<!-- doc-test:` and `-->`.
    init(_ comment: String, file: String, line: Int) throws {
        let text = comment.trimmingCharacters(in: .whitespaces)
        let unreadable = Unreadable(file: file, line: line, text: text)
        if text.hasPrefix("skip:") {
            let reason = text.dropFirst("skip:".count).trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { throw unreadable }
            self = .skip(reason: reason)
            return
        }
        let words = try Self.words(text, unreadable)
        switch words.first {
        case "mariadb" where words.count == 4 && words[1].contains(":"):
            self = .mariaDB(address: words[1], account: words[2], password: words[3])
        case "postgres" where words.count == 4 && words[1].contains(":"):
            self = .postgreSQL(address: words[1], account: words[2], password: words[3])
        case "smtp-relay" where words.count == 2 && words[1].last?.isNumber == true:
            self = .smtpRelay(text: words[1])
        default:
            throw unreadable
        }
    }

    /// Splits on spaces, keeping a "quoted text" as one word (without its quotes).
    private static func words(_ text: String, _ unreadable: Unreadable) throws -> [String] {
        var words: [String] = []
        var rest = Substring(text)
        while let start = rest.firstIndex(where: { $0 != " " }) {
            rest = rest[start...]
            if rest.first == "\"" {
                guard let end = rest.dropFirst().firstIndex(of: "\"") else { throw unreadable }
                words.append(String(rest[rest.index(after: rest.startIndex)..<end]))
                rest = rest[rest.index(after: end)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                words.append(String(rest[..<end]))
                rest = rest[end...]
            }
        }
        return words
    }
}
