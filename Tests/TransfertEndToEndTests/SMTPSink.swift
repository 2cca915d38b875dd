import Foundation
import Testing

/// A real SMTP server on loopback, Python's aiosmtpd (installed by `make test`), that keeps what it receives.
///
/// `python3 -c SCRIPT STORE [LOGIN:PASSWORD]` prints its port, then serves until its standard input closes.
/// Each message accepted becomes `STORE/msg-NNN.eml` (the bytes received) and `msg-NNN.json` (envelope
/// sender and recipients). A recipient listed in `STORE/refused.txt` is refused with 550, one in
/// `deferred.txt` with 451; both files are read at every RCPT, so a test can change them between sends.
/// With LOGIN:PASSWORD (or '' for none), AUTH is required and each try is logged in `STORE/auth.log`.
/// A third argument `starttls:CERT:KEY` or `tls:CERT:KEY` serves TLS with that certificate: STARTTLS
/// required, or TLS from the first byte. A number in `STORE/drop-after.txt` makes the server close the
/// connection abruptly when that many messages have been accepted over it; one in `STORE/delay.txt`, the
/// seconds it waits before answering each message.
private let sinkScript = """
    import json, os, socket, sys, threading
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    import asyncio, ssl
    store = sys.argv[1]
    credentials = sys.argv[2] if len(sys.argv) > 2 else ''
    tls = sys.argv[3].split(':') if len(sys.argv) > 3 else None
    os.makedirs(store, exist_ok=True)
    lock = threading.Lock()

    def listed(name):
        try:
            with open(os.path.join(store, name)) as f:
                return {line.strip().lower() for line in f if line.strip()}
        except FileNotFoundError:
            return set()

    def authenticator(server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        ok = credentials == f'{login}:{password}'
        with lock, open(os.path.join(store, 'auth.log'), 'a') as f:
            f.write(f'{mechanism} {login} {"ok" if ok else "refused"}\\n')
        return AuthResult(success=ok, handled=False)

    class Handler:
        count = 0
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.lower() in listed('refused.txt'):
                return f'550 5.1.1 <{address}>: Recipient address rejected: User unknown'
            if address.lower() in listed('deferred.txt'):
                return f'451 4.7.1 <{address}>: Greylisted, try again later'
            envelope.rcpt_tos.append(address)
            return '250 2.1.5 OK'
        async def handle_DATA(self, server, session, envelope):
            delay = listed('delay.txt')
            if delay:
                await asyncio.sleep(float(next(iter(delay))))
            with lock:
                Handler.count += 1
                n = Handler.count
            with open(os.path.join(store, f'msg-{n:03d}.eml'), 'wb') as f:
                f.write(envelope.original_content)
            with open(os.path.join(store, f'msg-{n:03d}.json'), 'w') as f:
                json.dump({'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos}, f)
            session.accepted = getattr(session, 'accepted', 0) + 1
            limit = listed('drop-after.txt')
            if limit and session.accepted >= int(next(iter(limit))):
                # The relay goes away after storing the message, before its 250 reaches the client.
                server.transport.abort()
                return '421 4.3.0 closing'
            return f'250 2.0.0 Ok: queued as {n}'

    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False) if credentials else {}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls[1], tls[2])
        if tls[0] == 'starttls':
            options.update(tls_context=context, require_starttls=True)
        else:
            options.update(ssl_context=context)
    controller = Controller(Handler(), hostname='127.0.0.1', port=port, **options)
    controller.start()
    print(port, flush=True)
    sys.stdin.read()
    controller.stop()
    """

/// Parses RFC 5322 files with Python's `email` package (policy=default) and prints, as JSON, per file:
/// decoded headers, addresses, body, defects, and byte-level facts (ASCII only, CRLF only, longest line).
let emailInspector = """
    import email, email.policy, json, sys
    out = []
    for path in sys.argv[1:]:
        raw = open(path, 'rb').read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        lines = raw.split(b'\\r\\n')
        def addr(name):
            h = msg[name]
            return [{'name': a.display_name, 'address': a.addr_spec} for a in h.addresses] if h is not None else []
        defects = [str(d) for d in msg.defects]
        for name in msg.keys():
            defects += [f'{name}: {d}' for d in getattr(msg[name], 'defects', ())]
        out.append({
            'path': path,
            'subject': str(msg['Subject']),
            'raw_subject': raw.split(b'\\r\\n\\r\\n')[0].decode('ascii', 'replace'),
            'from': addr('From'), 'to': addr('To'),
            'date': msg['Date'].datetime.isoformat() if msg['Date'] is not None and msg['Date'].datetime else None,
            'message_id': str(msg['Message-ID']),
            'mime_version': str(msg['MIME-Version']),
            'content_type': msg.get_content_type(), 'charset': msg.get_content_charset(),
            'transfer_encoding': str(msg['Content-Transfer-Encoding']),
            # Line ends are the transport's (CRLF); the text is compared with LF.
            'body': msg.get_content().replace('\\r\\n', '\\n'),
            'defects': defects,
            'ascii': all(b < 128 for b in raw),
            'bare_lf': b'\\n' in raw.replace(b'\\r\\n', b''),
            'bare_cr': b'\\r' in raw.replace(b'\\r\\n', b''),
            'ends_with_crlf': raw.endswith(b'\\r\\n'),
            'longest_line': max(len(l) for l in lines),
        })
    print(json.dumps(out))
    """

/// A running aiosmtpd; stopped when released.
final class SMTPSink {
    let store: URL
    private let server: PythonServer
    var port: Int { server.port }

    /// - Parameter tls: `starttls:CERT:KEY` or `tls:CERT:KEY`.
    init(store: URL, credentials: String? = nil, tls: String? = nil) throws {
        self.store = store
        let python = try #require(which("python3"), "python3 must be installed (make setup)")
        let check = try run(python, ["-c", "import aiosmtpd"])
        try #require(
            check.status == 0, "aiosmtpd is missing: `make test` installs it (python3 -m pip install aiosmtpd)")
        let tail = tls.map { [credentials ?? "", $0] } ?? credentials.map { [$0] } ?? []
        server = try PythonServer(script: sinkScript, arguments: [store.path] + tail, name: "aiosmtpd")
    }

    /// Stops the server and waits until it has exited (its port then refuses connections).
    func stop() { server.stop() }

    func refuse(_ addresses: [String]) throws {
        try addresses.joined(separator: "\n").write(
            to: store.appendingPathComponent("refused.txt"), atomically: true, encoding: .utf8)
    }

    /// Received messages' files, in order of arrival.
    func messageFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: store.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { store.appendingPathComponent($0).path }
    }

    /// Envelope recipients of every message received, in order.
    func envelopes() throws -> [[String]] {
        try messageFiles().map { file in
            let json = try Data(contentsOf: URL(fileURLWithPath: file.replacingOccurrences(of: ".eml", with: ".json")))
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            return try #require(object["rcpt_tos"] as? [String])
        }
    }

    /// The `smtp:` section pointing at this server.
    func configuration(extra: String = "") -> String {
        "\nsmtp:\n  host: \"127.0.0.1\"\n  port: \(port)\n  security: none\n\(extra)"
    }
}

/// Parses `.eml` files with Python's email package; one dictionary per file.
func inspectEmails(_ files: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    guard !files.isEmpty else { return [] }
    let result = try run(try #require(which("python3")), ["-c", emailInspector] + files)
    try #require(result.status == 0, "email parsing failed:\n\(result.transcript)", sourceLocation: sourceLocation)
    return try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
        sourceLocation: sourceLocation)
}
