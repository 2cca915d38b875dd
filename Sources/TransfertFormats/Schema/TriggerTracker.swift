import Foundation
import TransfertModel

/// Tells a statement reader whether a `;` ends a `CREATE TRIGGER` or only a statement of its body,
/// reading each new stretch of the statement once (a hostile dump full of `;` costs linear time).
///
/// ```swift
/// var tracker = TriggerTracker()
/// if tracker.feed(bytesSinceLastSemicolon) { /* the statement is complete */ }
/// ```
struct TriggerTracker {
    private var isTrigger: Bool?
    private var inBody = false
    private var closed = false
    private var caseDepth = 0

    /// Reads the next stretch of the statement (up to and including a `;`); returns whether the statement
    /// is complete there: always for anything but a trigger, and for a trigger once its body's `END` came.
    mutating func feed(_ bytes: some Collection<UInt8>) -> Bool {
        // A stretch that does not tokenize is complete: the statement parser reports the error.
        guard let tokens = try? SQLTokenizer.tokens(of: Array(bytes)) else { return true }
        if isTrigger == nil {
            var words = tokens.prefix(3).map(\.keyword)
            if words.count > 1, words[1] == "TEMP" || words[1] == "TEMPORARY" { words.remove(at: 1) }
            isTrigger = words.starts(with: ["CREATE", "TRIGGER"])
        }
        guard isTrigger == true else { return true }
        for token in tokens where token.kind == .word && !closed {
            switch token.keyword {
            case "BEGIN" where !inBody: inBody = true
            case "CASE" where inBody: caseDepth += 1
            case "END" where inBody:
                if caseDepth > 0 {
                    caseDepth -= 1
                } else {
                    inBody = false
                    closed = true
                }
            default: break
            }
        }
        // Complete once the body closed — or if it never opened: such a trigger ends at its first `;`, and
        // the statement parser refuses it.
        return closed || !inBody
    }
}
