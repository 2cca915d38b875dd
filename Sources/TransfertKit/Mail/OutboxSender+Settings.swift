import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension OutboxSender {
    /// What delivery reads of `transfert.yaml`: the relay, the envelope sender, and the file to name when
    /// the sender is still a placeholder (the operator corrects it there).
    public struct Settings: Equatable, Sendable {
        /// The `smtp:` section; `nil` when there is none (nothing can be sent).
        public var relay: SMTPRelay?
        /// `webmaster.email`: the envelope sender, and the name of the machine said in HELO.
        public var senderAddress: String
        /// The path of `transfert.yaml`, named in the refusal of a placeholder sender.
        public var configurationFile: String

        public init(relay: SMTPRelay?, senderAddress: String, configurationFile: String) {
            self.relay = relay
            self.senderAddress = senderAddress
            self.configurationFile = configurationFile
        }

        /// The settings of the hosting in `hostingDirectory`, whose configuration is `configuration`.
        public init(configuration: HostingConfiguration, hostingDirectory: URL) {
            self.init(
                relay: configuration.smtp, senderAddress: configuration.webmaster.email,
                configurationFile: hostingDirectory.appendingPathComponent(Hosting.configurationFileName).path)
        }
    }
}
