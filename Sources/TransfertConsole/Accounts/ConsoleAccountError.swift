import TransfertModel

/// Why an account cannot be created, changed or read. Each case says what to do.
public enum ConsoleAccountError: Error, Equatable, CustomStringConvertible, LocatedError {
    case invalidName(String)
    case passwordTooShort(minimum: Int)
    case passwordTooLong(maximumBytes: Int)
    case alreadyExists(String)
    case unknown(String)
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return
                "'\(name)' is not a console user name: use 1 to 64 letters, digits, '.', '_', '-' or '@', e.g. marie.dupont"
        case .passwordTooShort(let minimum):
            return "the password is too short: give at least \(minimum) characters"
        case .passwordTooLong(let maximum):
            // bcrypt reads 72 bytes: a longer password would be cut silently, so it is refused instead.
            return "the password is longer than \(maximum) bytes, which bcrypt would cut: give a shorter one"
        case .alreadyExists(let name):
            return
                "a console user named '\(name)' exists already: choose another name, or `console user password \(name)`"
        case .unknown(let name):
            return "no console user is named '\(name)': `transfert console user list` shows them"
        case .unreadable(let file, let reason):
            return "cannot read the console's users (\(file)): \(reason)"
        case .unwritable(let file, let reason):
            return "cannot write the console's users (\(file)): \(reason); nothing was changed"
        }
    }

    public var problemCode: ProblemCode {
        switch self {
        case .invalidName, .passwordTooShort, .passwordTooLong: return .consoleInvalidAccount
        case .alreadyExists: return .consoleAccountExists
        case .unknown: return .consoleUnknownAccount
        case .unreadable, .unwritable: return .consoleAccountsUnreadable
        }
    }

    public var location: ProblemLocation? {
        switch self {
        case .unreadable(let file, _), .unwritable(let file, _): return ProblemLocation(file: file)
        default: return nil
        }
    }
}
