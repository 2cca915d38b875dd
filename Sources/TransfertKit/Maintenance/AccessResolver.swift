import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Decides what users of an establishment meet at `now`, from its locks and maintenance windows.
///
/// A moved establishment (its move confirmed) is moved, whatever else applies. Otherwise, the first that
/// applies wins (``AccessLock/precedence``):
/// 1. a webmaster lock on every establishment;
/// 2. a webmaster lock on this establishment;
/// 3. a maintenance window in progress — the maintenance page, with the time service returns;
/// 4. the establishment administrator's lock;
/// 5. an automatic lock (an export or import at work, or kept after an export);
/// 6. a planned window — access open, with a warning;
/// 7. open.
///
/// Stale automatic locks must be left out by the caller (``LockRegistry/locks(at:)`` clears them).
///
/// ```swift
/// let resolver = AccessResolver(now: Date(), time: MaintenanceTime(timeZone: zone), application: "SACoche",
///                               messages: MaintenanceMessages(language: "fr"), disconnectAfter: 15)
/// let state = resolver.state(of: structure, locks: locks, windows: windows)   // .maintenance, 503…
/// ```
public struct AccessResolver: Sendable {
    public let now: Date
    public let time: MaintenanceTime
    public let application: String
    public let messages: MaintenanceMessages
    public let disconnectAfter: Int

    public init(
        now: Date, time: MaintenanceTime, application: String, messages: MaintenanceMessages, disconnectAfter: Int
    ) {
        self.now = now
        self.time = time
        self.application = application
        self.messages = messages
        self.disconnectAfter = disconnectAfter
    }

    /// What users of an establishment that moved away meet: its new address.
    public func state(of move: ConfirmedMove) -> AccessState {
        AccessState(
            id: move.baseID, state: .moved,
            establishment: .init(name: move.denomination, place: move.localisation, uai: move.uai),
            message: messages.movedText(server: move.targetServer, url: move.accessURL), note: nil, lock: nil,
            window: nil,
            until: nil, retryAfter: nil, disconnect: nil, locks: [], checkedAt: time.iso(now), movedTo: move.accessURL)
    }

    public func state(of structure: Structure, locks: [AccessLock], windows: [MaintenanceWindow]) -> AccessState {
        var applicable = locks.filter { $0.covers(baseID: structure.baseID) }
        // An establishment still being restored (a killed import whose lock went stale) is closed all the same.
        if structure.status == .importing && !applicable.contains(where: { $0.kind == .automatic }) {
            applicable.append(
                AccessLock(
                    kind: .automatic, baseID: structure.baseID, reason: StructureLock.restoreMessage,
                    setBy: nil, since: "", purpose: .restore))
        }
        applicable.sort { ($0.precedence, $0.since) < ($1.precedence, $1.since) }
        // Every time users and the application read is ISO 8601 with the hosting's offset, as `until`,
        // `checked_at` and the window's times are: the registry's UTC `since` is shown the same way.
        applicable = applicable.map { $0.shown(in: time) }
        let covering = windows.filter { $0.covers(baseID: structure.baseID) && $0.isOpen(at: now) }
            .sorted { $0.start < $1.start }
        let inProgress = covering.first { $0.state(at: now) == .inProgress }
        var state = AccessState(
            id: structure.baseID, state: .open,
            establishment: .init(
                name: structure.denomination, place: structure.localisation, uai: structure.uai?.rawValue),
            message: nil, note: nil, lock: nil, window: nil, until: nil, retryAfter: nil, disconnect: nil,
            locks: applicable, checkedAt: time.iso(now))

        let firstLock = applicable.first
        if let inProgress, (firstLock?.precedence ?? Int.max) > AccessLock.windowPrecedence {
            state.state = .maintenance
            describe(inProgress, phase: .during, in: &state)
            state.until = time.iso(inProgress.end)
            state.retryAfter = max(1, Int(inProgress.end.timeIntervalSince(now).rounded(.up)))
            state.disconnect = .init(message: sentence(.disconnect, inProgress), afterSeconds: disconnectAfter)
            return state
        }
        if let firstLock {
            state.state = .locked
            state.lock = firstLock
            state.message = messages.lockedText(reason: firstLock.reason, application: application)
            if let inProgress { state.window = summary(inProgress) }
            state.disconnect = .init(
                message: messages.lockedDisconnectText(
                    reason: firstLock.reason, application: application,
                    after: disconnectAfter), afterSeconds: disconnectAfter)
            return state
        }
        if let planned = covering.first {
            state.state = .warning
            describe(planned, phase: .warning, in: &state)
        }
        return state
    }

    private func describe(_ window: MaintenanceWindow, phase: MaintenanceMessages.Phase, in state: inout AccessState) {
        state.message = sentence(phase, window)
        state.note = window.message
        state.window = summary(window)
    }

    private func sentence(_ phase: MaintenanceMessages.Phase, _ window: MaintenanceWindow) -> String {
        messages.text(phase, for: window, application: application, time: time, disconnectAfter: disconnectAfter)
    }

    private func summary(_ window: MaintenanceWindow) -> AccessState.Window {
        AccessState.Window(
            number: window.number ?? 0, type: window.type, state: window.state(at: now),
            start: time.iso(window.start), end: time.iso(window.end))
    }
}
