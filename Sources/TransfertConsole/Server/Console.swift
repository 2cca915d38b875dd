import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import TransfertKit

/// The webmaster's console (`transfert console`): every workflow of Transfert as signed-in web pages.
/// Reads go to the hosting directly; changes run the `transfert` binary itself — the same checks, locks,
/// messages and operations log as on a terminal, with the web user's name.
///
/// ```swift
/// let services = ConsoleServices(configuration: configuration, hosting: hosting)
/// let console = Console(services: services, logger: Logger(label: "transfert.console"))
/// try await console.application(host: "127.0.0.1", port: 8443) { print("listening on \($0)") }.runService()
/// ```
public struct Console: Sendable {
    public let services: ConsoleServices
    let logger: Logger

    /// The areas of the console, in the navigation's order.
    static let pageGroups: [any ConsolePageGroup.Type] = [
        SignInPages.self, HostingPages.self, EstablishmentPages.self, ExportPages.self, VerifyPages.self,
        ImportPages.self, MovePages.self, MaintenancePages.self, BackupPages.self, FeedPages.self, JobPages.self,
    ]

    public init(services: ConsoleServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    public func router() -> Router<ConsoleRequestContext> {
        let router = Router(context: ConsoleRequestContext.self)
        router.add(
            middleware: SecurityHeadersMiddleware(
                strictTransport: services.configuration.settings.tlsFiles(
                    hosting: services.configuration.hostingDirectory) != nil))
        router.add(middleware: SessionMiddleware(sessions: services.sessions, accounts: services.accounts))
        router.add(middleware: CSRFMiddleware())
        router.add(middleware: RoleMiddleware())
        AssetRoutes().register(on: router)
        for group in Self.pageGroups { group.init(services: services).register(on: router) }
        return router
    }

    /// The server on `host:port` (0: a free port, given to `onListening`), over TLS when `transfert.yaml`
    /// names a certificate and a key. Jobs the previous console left running are reported interrupted first.
    public func application(
        host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void
    ) async throws -> some ApplicationProtocol {
        await services.jobs.recoverInterrupted()
        let settings = services.configuration.settings
        // An upload never imported (a page closed half-way) is not kept past a day: it holds personal data.
        UploadReceiver(hosting: services.configuration.hostingDirectory, limitBytes: settings.uploadLimitBytes)
            .purge(olderThan: 86_400)
        services.jobs.store.purge(endedBefore: settings.jobRetentionSeconds)
        let server: HTTPServerBuilder
        if let files = settings.tlsFiles(hosting: services.configuration.hostingDirectory) {
            let certificates = try NIOSSLCertificate.fromPEMFile(files.certificate.path)
            let key = try NIOSSLPrivateKey(file: files.key.path, format: .pem)
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        return Application(
            router: router(), server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Transfert"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
