import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The portal's connections over raw sockets (`RawConnection`): HTTP/1's connection rules, the headers on
/// every answer whoever writes it, the timeouts, the cap on connections, SIGTERM with clients that do not
/// cooperate. Timeouts are configured small (`portal:` in `transfert.yaml`); a closing is waited for with a
/// generous bound, never timed to the second.
@Suite("The portal's connections", .serialized)
struct PortalConnectionTests {
    typealias F = MaintenanceFixture

    /// A hosting with `portal:` set to `settings` (YAML lines under it), and its portal.
    static func serve(_ settings: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> (
        Workspace, PortalServer
    ) {
        let workspace = try F.workspace(sourceLocation: sourceLocation)
        if !settings.isEmpty {
            let file = URL(fileURLWithPath: workspace.path("hosting/transfert.yaml"))
            let text = try String(contentsOf: file, encoding: .utf8)
            try (text + "\nportal:\n" + settings.map { "  \($0)\n" }.joined()).write(
                to: file, atomically: true, encoding: .utf8)
        }
        return (workspace, try PortalServer(workspace, sourceLocation: sourceLocation))
    }

    /// The headers every answer carries (`PortalHeaders`).
    func expectCommonHeaders(_ answer: RawAnswer, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.values("Cache-Control") == ["no-store"], "\(what)", sourceLocation: sourceLocation)
        #expect(answer.values("X-Content-Type-Options") == ["nosniff"], "\(what)", sourceLocation: sourceLocation)
        #expect(answer.values("Referrer-Policy") == ["no-referrer"], "\(what)", sourceLocation: sourceLocation)
        let csp = answer.values("Content-Security-Policy")
        #expect(
            csp.count == 1 && csp[0].hasPrefix("default-src 'none'") && csp[0].contains("frame-ancestors 'none'"),
            "\(what): \(csp)", sourceLocation: sourceLocation)
    }

    /// Sends `request` on a new connection and reads until the server closes it.
    func exchangeUntilClosed(_ server: PortalServer, _ request: String) throws -> RawConnection {
        let connection = try RawConnection(port: server.port)
        connection.send(request)
        connection.readUntilClosed()
        return connection
    }

    @Test func http10WithoutKeepAliveIsAnsweredThenClosed() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        // A second request after it is not read: the connection ends with the first answer.
        let connection = try exchangeUntilClosed(
            server, "GET /health HTTP/1.0\r\n\r\nGET /health HTTP/1.0\r\n\r\n")
        #expect(connection.closedByServer, "the server closes after answering HTTP/1.0 without keep-alive")
        #expect(connection.answers.count == 1)
        #expect(connection.answers.first?.status == 200)
        #expect(connection.answers.first?.values("Connection") == ["close"])
    }

    @Test func http10KeepAliveIsToldAndKept() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try RawConnection(port: server.port)
        connection.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        connection.read(for: 1)
        #expect(!connection.closedByServer)
        #expect(connection.answers.first?.values("Connection") == ["keep-alive"])
        connection.send("GET /status?id=1 HTTP/1.0\r\n\r\n")
        connection.readUntilClosed()
        #expect(connection.answers.map(\.status) == [200, 200])
        #expect(connection.closedByServer, "the second request did not ask to keep the connection")
    }

    @Test(arguments: ["close", "Close", "keep-alive, close"])
    func connectionCloseIsSaidAndDone(_ value: String) throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try exchangeUntilClosed(
            server,
            "GET /status?id=1 HTTP/1.1\r\nHost: portal\r\nConnection: \(value)\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
        #expect(connection.closedByServer, "Connection: \(value)")
        #expect(connection.answers.count == 1, "nothing is answered after Connection: \(value)")
        #expect(connection.answers.first?.status == 200)
        #expect(connection.answers.first?.values("Connection") == ["close"], "Connection: \(value)")
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try RawConnection(port: server.port)
        connection.send(
            "GET /health HTTP/1.1\r\nHost: portal\r\n\r\nGET /?id=1 HTTP/1.1\r\nHost: portal\r\n\r\n"
                + "GET /status?id=2 HTTP/1.1\r\nHost: portal:8080\r\n\r\n")
        connection.read(for: 2)
        #expect(!connection.closedByServer)
        #expect(connection.answers.map(\.status) == [200, 200, 200])
        #expect(connection.answers.allSatisfy { $0.header("Connection") == nil })
    }

    @Test(arguments: [
        ("no Host in HTTP/1.1", "GET /health HTTP/1.1\r\n\r\n"),
        ("two Host fields", "GET /health HTTP/1.1\r\nHost: portal\r\nHost: other\r\n\r\n"),
        ("two Host fields in HTTP/1.0", "GET /health HTTP/1.0\r\nHost: portal\r\nHost: other\r\n\r\n"),
        ("a Host that is not a host", "GET /health HTTP/1.1\r\nHost: portal/evil\r\n\r\n"),
        ("a Host with an @", "GET /health HTTP/1.1\r\nHost: user@portal\r\n\r\n"),
    ])
    func hostRulesOfRFC9112(_ what: String, _ request: String) throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try exchangeUntilClosed(server, request + "GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
        #expect(connection.closedByServer, "\(what): the connection closes after the 400")
        #expect(connection.answers.map(\.status) == [400], "\(what): one answer, nothing after it")
        let answer = try #require(connection.answers.first)
        #expect(answer.values("Connection") == ["close"], "\(what)")
        #expect(answer.body.contains("Host"), "\(what): the body says why: \(answer.body)")
        expectCommonHeaders(answer, what)
    }

    @Test func aRefusedRequestWaitsForTheAnswersBeforeIt() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try exchangeUntilClosed(
            server, "GET /health HTTP/1.1\r\nHost: portal\r\n\r\nGET /health HTTP/1.1\r\n\r\n")
        #expect(connection.answers.map(\.status) == [200, 400], "in order, each request its answer")
        #expect(connection.closedByServer)
    }

    @Test func http10WithoutHostIsServed() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try exchangeUntilClosed(server, "GET /health HTTP/1.0\r\n\r\n")
        #expect(connection.answers.map(\.status) == [200])
    }

    @Test(arguments: [
        ("/favicon.ico", "GET /favicon.ico HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", 404),
        ("TRACE", "TRACE / HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", 404),
        ("CONNECT", "CONNECT portal:443 HTTP/1.1\r\nHost: portal:443\r\n\r\n", 404),
        ("POST", "POST /status?id=1 HTTP/1.1\r\nHost: portal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 405),
        ("OPTIONS", "OPTIONS / HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", 405),
        ("a bad id", "GET /status?id=0 HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", 400),
        ("an unknown id", "GET /?id=999 HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", 404),
        ("unparsable", "\u{1}\u{2} nonsense\r\n\r\n", 400),
        ("a header line without a colon", "GET / HTTP/1.1\r\nHost: portal\r\nno colon here\r\n\r\n", 400),
        ("no Host", "GET / HTTP/1.1\r\n\r\n", 400),
        ("HEAD", "HEAD /health HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n", 200),
    ])
    func everyAnswerCarriesTheCommonHeaders(_ what: String, _ request: String, _ status: Int) throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try exchangeUntilClosed(server, request)
        #expect(connection.closedByServer, "\(what)")
        #expect(connection.answers.map(\.status) == [status], "\(what)")
        if let answer = connection.answers.first { expectCommonHeaders(answer, what) }
    }

    @Test func aChunkedPostWithABadBodyGetsOneAnswerThenTheConnectionCloses() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        for body in ["zz\r\nhello\r\n0\r\n\r\n", "5\r\nhello\r\nnot a size\r\n\r\n", "5\r\nhello!!!\r\n0\r\n\r\n"] {
            let connection = try exchangeUntilClosed(
                server,
                "POST /status HTTP/1.1\r\nHost: portal\r\nTransfer-Encoding: chunked\r\n\r\n" + body
                    + "GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
            #expect(connection.answers.map(\.status) == [405], "one answer for \(body.debugDescription)")
            #expect(connection.closedByServer, "\(body.debugDescription)")
        }
    }

    @Test func aChunkedPostWithAGoodBodyKeepsTheConnectionInStep() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try RawConnection(port: server.port)
        connection.send(
            "POST /status HTTP/1.1\r\nHost: portal\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
        connection.read(for: 2)
        #expect(connection.answers.map(\.status) == [405, 200], "the body was read past, the next request answered")
        #expect(!connection.closedByServer)
    }

    // MARK: - Timeouts

    @Test func silentHalfSentAndIdleConnectionsAreClosed() throws {
        let (workspace, server) = try Self.serve(["read_timeout: 1", "idle_timeout: 2", "write_timeout: 1"])
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let silent = try RawConnection(port: server.port)
        let halfHead = try RawConnection(port: server.port)
        halfHead.send("GET /health HTTP/1.1\r\nHost: por")
        let halfBody = try RawConnection(port: server.port)
        halfBody.send("POST /status HTTP/1.1\r\nHost: portal\r\nContent-Length: 100\r\n\r\nonly a part")
        let afterAnswer = try RawConnection(port: server.port)
        afterAnswer.send("GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
        for (what, connection) in [
            ("silent", silent), ("half-sent head", halfHead), ("half-sent body", halfBody),
            ("idle after an answer", afterAnswer),
        ] {
            connection.readUntilClosed(within: 30)
            #expect(connection.closedByServer, "\(what) connection closed by the server")
        }
        #expect(afterAnswer.answers.map(\.status) == [200])
        #expect(halfHead.answers.isEmpty && silent.answers.isEmpty)
    }

    @Test func aSlowlorisIsClosedHoweverOftenItSends() throws {
        // A header line, or a body byte, every 0.3 s: each keeps the connection busy but the request never
        // arrives whole within read_timeout.
        let (workspace, server) = try Self.serve(["read_timeout: 2", "idle_timeout: 60", "write_timeout: 60"])
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let head = try RawConnection(port: server.port)
        head.send("GET /health HTTP/1.1\r\nHost: portal\r\n")
        let body = try RawConnection(port: server.port)
        body.send("POST /status HTTP/1.1\r\nHost: portal\r\nContent-Length: 100000\r\n\r\n")
        let end = Date().addingTimeInterval(30)
        while Date() < end && !(head.closedByServer && body.closedByServer) {
            if !head.closedByServer && !head.send("X-Slow: 1\r\n") { head.readUntilClosed(within: 1) }
            if !body.closedByServer && !body.send("x") { body.readUntilClosed(within: 1) }
            head.read(for: 0.15)
            body.read(for: 0.15)
        }
        #expect(head.closedByServer, "a head sent a line at a time is cut at read_timeout")
        #expect(body.closedByServer, "a body sent a byte at a time is cut at read_timeout")
    }

    @Test func aClientThatNeverReadsIsClosedAtTheWriteTimeout() throws {
        let (workspace, server) = try Self.serve(["write_timeout: 1", "idle_timeout: 60", "read_timeout: 60"])
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        let connection = try RawConnection(port: server.port, receiveBuffer: 4_096)
        let requests = Array(String(repeating: "GET /?id=1 HTTP/1.1\r\nHost: portal\r\n\r\n", count: 64).utf8)
        let end = Date().addingTimeInterval(60)
        var open = true
        while open && Date() < end {
            open = connection.sendWithoutWaiting(requests)
            usleep(20_000)
        }
        #expect(!open, "the server closed (or reset) the connection of a client that takes no answer")
        // The portal still serves everyone else.
        let health = try exchangeUntilClosed(
            server, "GET /health HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n")
        #expect(health.answers.map(\.status) == [200])
    }

    // MARK: - The cap on connections

    @Test func theCapClosesConnectionsPastItLogsOnceAndServesAgainWhenThoseLeave() throws {
        let (workspace, server) = try Self.serve(["max_connections: 20"])
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        var held: [RawConnection] = []
        for _ in 0..<20 {
            let connection = try RawConnection(port: server.port)
            connection.send("GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
            connection.read(for: 0.05)
            held.append(connection)
        }
        for connection in held where connection.answers.isEmpty { connection.read(for: 5) }
        #expect(held.allSatisfy { $0.answers.map(\.status) == [200] && !$0.closedByServer }, "20 served and kept")
        var refused: [RawConnection] = []
        for _ in 0..<5 {
            let connection = try RawConnection(port: server.port)
            connection.send("GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
            refused.append(connection)
        }
        for connection in refused {
            connection.readUntilClosed()
            #expect(connection.closedByServer && connection.answers.isEmpty, "past the cap: closed, unanswered")
        }
        held.removeAll()
        // The cap counts them out as their closing reaches the server: a new client is served soon after.
        var served = false
        let end = Date().addingTimeInterval(30)
        while !served && Date() < end {
            let connection = try exchangeUntilClosed(
                server, "GET /health HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n")
            served = connection.answers.map(\.status) == [200]
            if !served { usleep(100_000) }
        }
        #expect(served, "served again once the 20 left")
        let (status, output) = server.stop()
        #expect(status == 0)
        let log = output + server.errors
        let lines = log.split(separator: "\n").filter { $0.contains("portal.max_connections") }
        #expect(lines.count == 1, "one line for 5 refused connections, not one each:\n\(log)")
        #expect(lines.first?.contains("20 connections open") == true, "\(log)")
    }

    @Test func aCapTheOpenFileLimitCannotHoldIsRefusedAtStart() throws {
        let workspace = try F.workspace()
        let file = URL(fileURLWithPath: workspace.path("hosting/transfert.yaml"))
        try (try String(contentsOf: file, encoding: .utf8) + "\nportal:\n  max_connections: 5000\n").write(
            to: file, atomically: true, encoding: .utf8)
        let result = try run(
            "/bin/sh",
            [
                "-c", "ulimit -n 256 && exec \"$0\" --hosting \"$1\" serve --port 0", transfertBinary,
                workspace.path("hosting"),
            ])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("portal.max_connections is 5000"), "\(result.transcript)")
        #expect(result.stderr.contains("ulimit -n"), "\(result.transcript)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.transcript)")
    }

    @Test(arguments: [
        ("read_timeout: 0", "portal.read_timeout"), ("idle_timeout: 99999", "portal.idle_timeout"),
        ("max_connections: 0", "portal.max_connections"), ("write_timeout: -1", "portal.write_timeout"),
    ])
    func aMistypedPortalKeyIsNamed(_ line: String, _ key: String) throws {
        let workspace = try F.workspace()
        let file = URL(fileURLWithPath: workspace.path("hosting/transfert.yaml"))
        try (try String(contentsOf: file, encoding: .utf8) + "\nportal:\n  \(line)\n").write(
            to: file, atomically: true, encoding: .utf8)
        let result = try workspace.transfert(["serve", "--port", "0"])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains(key), "\(result.transcript)")
    }

    // MARK: - SIGTERM

    @Test func sigtermEndsTheServerWithinFiveSecondsWhateverTheClientsDo() throws {
        let (workspace, server) = try Self.serve()
        defer { withExtendedLifetime(workspace) {} }  // the hosting and the server's log live in it
        // A client that pipelines and never reads: its answers can never all be written.
        let nonReader = try RawConnection(port: server.port, receiveBuffer: 4_096)
        let requests = Array(String(repeating: "GET /?id=1 HTTP/1.1\r\nHost: portal\r\n\r\n", count: 64).utf8)
        for _ in 0..<200 where nonReader.sendWithoutWaiting(requests) { usleep(5_000) }
        // And 50 that sent half a request.
        var halfSent: [RawConnection] = []
        for index in 0..<50 {
            let connection = try RawConnection(port: server.port)
            connection.send(
                index % 2 == 0 ? "GET /health HTTP/1.1\r\nHost: por" : "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc"
            )
            halfSent.append(connection)
        }
        let asked = Date()
        server.process.terminate()
        while server.process.isRunning && Date().timeIntervalSince(asked) < 30 { usleep(20_000) }
        let took = Date().timeIntervalSince(asked)
        #expect(!server.process.isRunning)
        #expect(took < 5, "SIGTERM took \(took) s with a non-reading client and 50 half-sent requests")
        let (status, output) = server.stop()
        #expect(status == 0 && output.contains("Portal stopped."), "\(output)\n\(server.errors)")
    }
}
