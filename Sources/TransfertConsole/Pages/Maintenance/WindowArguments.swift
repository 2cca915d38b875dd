import Foundation

/// The `transfert maintenance plan|edit` arguments a window form stands for. Every check is the command's:
/// the console passes what was typed (ids, dates in the hosting's zone, duration, type, message) and shows
/// the command's refusal. Values go as `--option=value`, so that a value starting with a dash stays a value.
enum WindowArguments {
    /// Why a form cannot become a command without guessing.
    struct Ambiguity: Error {
        var french: String
        var english: String
    }

    static func plan(_ form: FormFields) throws(Ambiguity) -> [String] {
        var arguments = ["maintenance", "plan"]
        if form.isChecked("all") { arguments.append("--all") }
        if let ids = form.text("ids") { arguments.append("--ids=\(ids)") }
        if let start = try start(form) { arguments.append("--start=\(start)") }
        if let ends = form.text("ends") { arguments.append("--end=\(LocalDateTime.argument(ends))") }
        if let duration = form.text("duration") { arguments.append("--duration=\(duration)") }
        if let type = form.text("type") { arguments.append("--type=\(type)") }
        if let typed = message(form, field: "message") { arguments.append("--message=\(typed)") }
        return arguments
    }

    /// Only what the form changed from the values it showed (`was_…`): an in-progress window's start, in
    /// the past by then, is passed only if the operator typed a new one (the command refuses a past start).
    /// A field emptied means "unchanged", except the message, which an empty field removes.
    static func edit(_ number: Int64, _ form: FormFields) throws(Ambiguity) -> [String] {
        var arguments = ["maintenance", "edit", String(number)]
        func changed(_ name: String) -> String? {
            guard let value = form.text(name), value != form.text("was_\(name)") else { return nil }
            return value
        }
        if form.isChecked("now") {
            guard changed("starts") == nil else { throw bothStarts }
            arguments.append("--start=now")
        } else if let starts = changed("starts") {
            arguments.append("--start=\(LocalDateTime.argument(starts))")
        }
        if let ends = changed("ends") { arguments.append("--end=\(LocalDateTime.argument(ends))") }
        if let duration = form.text("duration") { arguments.append("--duration=\(duration)") }
        if let type = changed("type") { arguments.append("--type=\(type)") }
        let typed = message(form, field: "message") ?? ""
        if typed != (message(form, field: "was_message") ?? "") {
            // An empty value cannot be written `--message=` (the parser wants a value there): as its own word.
            arguments += typed.isEmpty ? ["--message", ""] : ["--message=\(typed)"]
        }
        return arguments
    }

    static let bothStarts = Ambiguity(
        french: "Choisissez un début ou « maintenant », pas les deux.",
        english: "Choose a start time or “now”, not both.")

    /// `now` when the box says so; else the typed start as the command spells it.
    private static func start(_ form: FormFields) throws(Ambiguity) -> String? {
        if form.isChecked("now") {
            guard form.text("starts") == nil else { throw bothStarts }
            return "now"
        }
        return form.text("starts").map(LocalDateTime.argument)
    }

    /// The message as typed, its line breaks as the command reads them: browsers send a textarea's line
    /// breaks as CR LF, and the command refuses a carriage return (a control character) in what users read.
    private static func message(_ form: FormFields, field: String) -> String? {
        form.text(field)?.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
