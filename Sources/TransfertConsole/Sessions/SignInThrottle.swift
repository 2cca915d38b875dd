import Foundation

/// Slows guessing down: after `accountLimit` failed sign-ins for one account, or `addressLimit` from one
/// address, within `window` seconds, further attempts are refused (before any password is checked) until
/// the oldest failure leaves the window. Memory stays bounded: at most `capacity` keys are remembered,
/// the stalest forgotten first.
public actor SignInThrottle {
    let accountLimit: Int
    let addressLimit: Int
    let window: TimeInterval
    let capacity: Int
    private var failures: [String: [Date]] = [:]

    public init(accountLimit: Int = 5, addressLimit: Int = 20, window: TimeInterval = 15 * 60, capacity: Int = 10_000) {
        self.accountLimit = accountLimit
        self.addressLimit = addressLimit
        self.window = window
        self.capacity = capacity
    }

    /// Seconds to wait before `account` may try again from `address`; `nil` when it may try now.
    public func wait(account: String, address: String, now: Date = Date()) -> Int? {
        let waits = [
            wait(key: "account:\(account.lowercased())", limit: accountLimit, now: now),
            wait(key: "address:\(address)", limit: addressLimit, now: now),
        ].compactMap { $0 }
        return waits.max()
    }

    public func failed(account: String, address: String, now: Date = Date()) {
        for key in ["account:\(account.lowercased())", "address:\(address)"] {
            failures[key, default: []].append(now)
        }
        if failures.count > capacity {
            let stalest = failures.min { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }
            if let stalest { failures[stalest.key] = nil }
        }
    }

    public func succeeded(account: String) {
        failures["account:\(account.lowercased())"] = nil
    }

    private func wait(key: String, limit: Int, now: Date) -> Int? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }
}
