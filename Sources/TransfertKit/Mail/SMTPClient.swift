import CCurlShim
import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What the relay did with one message.
public enum SMTPResult: Equatable, Sendable {
    /// Accepted (`250 …`).
    case accepted(reply: String)
    /// Refused for good (a 5xx reply: unknown recipient, policy…): retrying now will not help.
    case refused(code: Int, reply: String)
    /// Refused for now (a 4xx reply: greylisting, mailbox busy…): worth retrying later.
    case deferred(code: Int, reply: String)
    /// The relay could not be reached or the connection broke: nothing is known to be delivered.
    case unreachable(reason: String)
    /// The relay refuses this configuration (login, TLS): every message would fail the same way.
    case misconfigured(reason: String)
}

/// One SMTP session to the relay, through libcurl: each ``send(_:from:to:)`` is one `MAIL FROM`, `RCPT TO`,
/// `DATA` exchange, and the connection is kept open between messages (libcurl reuses it) until the client
/// is released. Not thread-safe: one client per thread.
///
/// ```swift
/// let client = try SMTPClient(relay: relay, password: password, heloDomain: "b.example.org")
/// switch client.send(data, from: "webmestre@b.example.org", to: "agnes.lefevre@ac-besancon.fr") { … }
/// ```
public final class SMTPClient {
    public let relay: SMTPRelay
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Server replies seen during the current message (what `CURLOPT_DEBUGFUNCTION` reports as incoming headers).
    private let transcript = Transcript()

    /// Seconds to open the connection (TCP and TLS); a whole message gets `smtp.timeout` (120 by default).
    public static let connectTimeout = 15

    private static let globalInit: CURLcode = transfert_curl_global_init()

    public init(relay: SMTPRelay, password: String?, heloDomain: String) throws {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw SMTPClientError.libcurlUnavailable
        }
        self.relay = relay
        self.handle = handle
        let size = transfert_curl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)

        let host = relay.host.contains(":") ? "[\(relay.host)]" : relay.host
        let scheme = relay.security == .tls ? "smtps" : "smtp"
        // The URL's path is the domain libcurl announces in EHLO.
        let url = "\(scheme)://\(host):\(relay.effectivePort)/\(heloDomain)"
        var status = transfert_curl_setopt_string(handle, CURLOPT_URL, url)
        status =
            status == CURLE_OK
            ? transfert_curl_setopt_long(
                handle, CURLOPT_USE_SSL,
                Int(relay.security == .starttls ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue)) : status
        if status == CURLE_OK, let caFile = relay.caFile {
            status = transfert_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)
        }
        status =
            status == CURLE_OK
            ? transfert_curl_setopt_long(
                handle, CURLOPT_CONNECTTIMEOUT, min(Self.connectTimeout, relay.effectiveTimeout)) : status
        status =
            status == CURLE_OK ? transfert_curl_setopt_long(handle, CURLOPT_TIMEOUT, relay.effectiveTimeout) : status
        // The wait for each reply too, QUIT's included: a relay that stops answering is left at once.
        status =
            status == CURLE_OK
            ? transfert_curl_setopt_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, relay.effectiveTimeout) : status
        status = status == CURLE_OK ? transfert_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) : status
        status = status == CURLE_OK ? transfert_curl_setopt_long(handle, CURLOPT_UPLOAD, 1) : status
        status = status == CURLE_OK ? transfert_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer) : status
        if status == CURLE_OK, let username = relay.username {
            status = transfert_curl_setopt_string(handle, CURLOPT_USERNAME, username)
            if status == CURLE_OK, let password {
                status = transfert_curl_setopt_string(handle, CURLOPT_PASSWORD, password)
            }
        }
        // Incoming protocol lines (the relay's replies) are kept; outgoing ones (which hold AUTH) are not.
        status = status == CURLE_OK ? transfert_curl_setopt_long(handle, CURLOPT_VERBOSE, 1) : status
        status = status == CURLE_OK ? transfert_curl_setopt_debug_function(handle, smtpDebugCallback) : status
        status =
            status == CURLE_OK
            ? transfert_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(transcript).toOpaque())
            : status
        status = status == CURLE_OK ? transfert_curl_setopt_read_function(handle, smtpReadCallback) : status
        guard status == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(status))
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
            throw SMTPClientError.setup(message)
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends one message (its bytes as written in the outbox, CRLF line ends) to one recipient.
    public func send(_ data: Data, from sender: String, to recipient: String) -> SMTPResult {
        transcript.lines.removeAll()
        errorBuffer[0] = 0
        let body = Upload(data)
        let recipients = curl_slist_append(nil, "<\(recipient)>")
        defer { curl_slist_free_all(recipients) }
        var status = transfert_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>")
        if status == CURLE_OK { status = transfert_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients) }
        if status == CURLE_OK {
            status = transfert_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(data.count))
        }
        if status == CURLE_OK {
            status = withExtendedLifetime(body) {
                let pointer = Unmanaged.passUnretained(body).toOpaque()
                let set = transfert_curl_setopt_pointer(handle, CURLOPT_READDATA, pointer)
                return set == CURLE_OK ? curl_easy_perform(handle) : set
            }
        }
        _ = transfert_curl_setopt_pointer(handle, CURLOPT_READDATA, nil)
        _ = transfert_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, nil)

        var code = 0
        _ = transfert_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        // The reply that decided (libcurl may say QUIT after a refusal: its "221 Bye" is not the reason).
        let lastReply = transcript.lines.last { code > 0 && $0.hasPrefix(String(code)) } ?? transcript.lines.last
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(status))

        if status == CURLE_OK { return .accepted(reply: lastReply ?? "\(code) accepted") }
        switch status {
        case CURLE_LOGIN_DENIED:
            return .misconfigured(
                reason:
                    "the relay refused the login of \(relay.username ?? "?") (\(lastReply ?? detail)): check smtp.username and the password"
            )
        case CURLE_USE_SSL_FAILED:
            return .misconfigured(
                reason:
                    "the relay does not offer STARTTLS (\(detail)): set smtp.security to tls (port 465) or, on a trusted network only, none"
            )
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .misconfigured(
                reason:
                    "the relay's TLS certificate is not trusted (\(detail)): check that smtp.host is the certificate's name, and that its authority is the system's or the one of smtp.ca_file"
            )
        default:
            break
        }
        if code >= 500 { return .refused(code: code, reply: lastReply ?? "\(code) (\(detail))") }
        if code >= 400 { return .deferred(code: code, reply: lastReply ?? "\(code) (\(detail))") }
        return .unreachable(reason: detail)
    }

    /// The relay's replies during one message.
    final class Transcript {
        var lines: [String] = []
    }

    /// The bytes libcurl reads during `DATA`.
    final class Upload {
        let data: Data
        var offset = 0
        init(_ data: Data) { self.data = data }
    }
}

/// libcurl's `CURLOPT_READFUNCTION`: copies the next bytes of the message.
private func smtpReadCallback(
    buffer: UnsafeMutablePointer<CChar>?, size: Int, count: Int, userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userdata else { return 0 }
    let upload = Unmanaged<SMTPClient.Upload>.fromOpaque(userdata).takeUnretainedValue()
    let length = min(size * count, upload.data.count - upload.offset)
    guard length > 0 else { return 0 }
    upload.data.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + upload.offset, byteCount: length)
    }
    upload.offset += length
    return length
}

/// libcurl's `CURLOPT_DEBUGFUNCTION`: keeps the relay's reply lines, ignores everything else.
private func smtpDebugCallback(
    handle: UnsafeMutableRawPointer?, type: curl_infotype, data: UnsafeMutablePointer<CChar>?, size: Int,
    userdata: UnsafeMutableRawPointer?
) -> Int32 {
    guard type == CURLINFO_HEADER_IN, let data, let userdata else { return 0 }
    let transcript = Unmanaged<SMTPClient.Transcript>.fromOpaque(userdata).takeUnretainedValue()
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {
        transcript.lines.append(String(line))
        if transcript.lines.count > 50 { transcript.lines.removeFirst() }
    }
    return 0
}

public enum SMTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    case libcurlUnavailable
    case setup(String)

    public var description: String {
        switch self {
        case .libcurlUnavailable:
            return "libcurl could not be initialised: reinstall libcurl (Debian: apt-get install libcurl4-openssl-dev)"
        case .setup(let reason):
            return "libcurl refused the SMTP settings (\(reason)): check the smtp section of transfert.yaml"
        }
    }
}

extension SMTPClientError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .libcurlUnavailable: return .smtpClientLibcurlUnavailable
        case .setup: return .smtpClientSetup
        }
    }
}
