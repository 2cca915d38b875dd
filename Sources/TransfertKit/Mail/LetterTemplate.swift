import Foundation
import Mustache
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A letter's subject and body as a Mustache template, built in (`fr`, `en`) or read from a file an
/// operator copied and edited.
///
/// The format is a small e-mail: header lines, an empty line, the body.
///
/// ```
/// Subject: {{establishment_name}} : nouvelle adresse sur {{server_name}}
/// Language: fr
///
/// Bonjour {{contact_first_name}} {{contact_last_name}},
/// …
/// ```
///
/// `Subject` is required; `Language` (optional) becomes the message's `Content-Language`. The body is
/// plain text: `{{name}}` inserts a value as it is (no HTML escaping), `{{#name}}…{{/name}}` shows text
/// when a value is present or true, `{{^name}}…{{/name}}` when it is absent or false, `{{! … }}` is a
/// comment. A variable the tool does not know is refused with its line, rather than left blank.
///
/// ```swift
/// let template = try LetterTemplate.named("fr")          // or .named("/srv/lettre.mustache")
/// let letter = template.render(variables.values)          // letter.subject, letter.body
/// ```
public struct LetterTemplate: Sendable {
    /// `fr`, `en`, or the file's path.
    public let name: String
    public let language: String?
    /// The template's text as written (what `letters --print-template` shows).
    public let source: String
    /// The variables it uses, subject and body.
    public let variables: Set<String>
    private let subject: MustacheTemplate
    private let body: MustacheTemplate

    /// The names of the built-in notification letters.
    public static let builtInNames = BuiltInLetterTemplates.letters.keys.sorted()

    /// A built-in template (`fr`, `en`), or else the file at `nameOrPath`.
    public static func named(_ nameOrPath: String) throws(LetterTemplateError) -> LetterTemplate {
        if let text = BuiltInLetterTemplates.letters[nameOrPath] {
            return try LetterTemplate(source: text, name: nameOrPath, allowed: LetterVariables.letterVariableNames)
        }
        guard nameOrPath.contains("/") || nameOrPath.contains(".") else {
            throw LetterTemplateError(
                file: nameOrPath, line: nil,
                message:
                    "no built-in template has this name (there are: \(builtInNames.joined(separator: ", "))) and it is not a file path: give fr, en or a file such as ./lettre.mustache"
            )
        }
        let text: String
        do { text = try String(contentsOf: URL(fileURLWithPath: nameOrPath), encoding: .utf8) } catch {
            throw LetterTemplateError(
                file: nameOrPath, line: nil,
                message: FileManager.default.fileExists(atPath: nameOrPath)
                    ? "cannot be read as UTF-8 text: save it as UTF-8"
                    : "no such file: write one with `transfert letters --print-template fr > \(nameOrPath)`")
        }
        return try LetterTemplate(source: text, name: nameOrPath, allowed: LetterVariables.letterVariableNames)
    }

    /// The built-in newsletter frame (greeting, `{{message}}`, signature and reminders) in `language`.
    public static func newsletter(language: String) throws(LetterTemplateError) -> LetterTemplate {
        guard let text = BuiltInLetterTemplates.newsletters[language] else {
            throw LetterTemplateError(
                file: language, line: nil,
                message:
                    "no newsletter frame in this language: give \(BuiltInLetterTemplates.newsletters.keys.sorted().joined(separator: " or "))"
            )
        }
        return try LetterTemplate(
            source: text, name: "newsletter-\(language)",
            allowed: (LetterVariables.documentation + LetterVariables.newsletterDocumentation).map(\.name))
    }

    /// Parses a template; `name` is how errors name it, `allowed` the variables it may use.
    public init(source: String, name: String, allowed: [String]) throws(LetterTemplateError) {
        self.name = name
        self.source = source
        let lines = MailText.lines(source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source)
        var subjectText: String?
        var language: String?
        var index = 0
        while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
            let line = lines[index]
            guard let colon = line.firstIndex(of: ":") else {
                throw LetterTemplateError(
                    file: name, line: index + 1,
                    message:
                        "expected a header line such as `Subject: …`, then an empty line, then the body; found '\(line)'"
                )
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "subject": subjectText = value
            case "language": language = value
            default:
                throw LetterTemplateError(
                    file: name, line: index + 1,
                    message:
                        "unknown header `\(line[..<colon])`: a template's header has `Subject:` and, optionally, `Language:`"
                )
            }
            index += 1
        }
        guard let subjectText, !subjectText.isEmpty else {
            throw LetterTemplateError(
                file: name, line: 1,
                message:
                    "the first line must be `Subject: …` (the letter's subject, variables allowed), followed by an empty line and the body"
            )
        }
        let bodyFirstLine = index + 2
        let bodyText = lines.dropFirst(index + 1).joined(separator: "\n")
        guard !bodyText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LetterTemplateError(
                file: name, line: bodyFirstLine,
                message: "the body is empty: write the letter after the empty line that follows the header")
        }
        let subjectLine = lines.firstIndex { $0.lowercased().hasPrefix("subject") }.map { $0 + 1 } ?? 1
        variables = try Self.checkTags(subjectText, allowed: Set(allowed), file: name, firstLine: subjectLine)
            .union(Self.checkTags(bodyText, allowed: Set(allowed), file: name, firstLine: bodyFirstLine))
        subject = try Self.parse(subjectText, file: name, firstLine: subjectLine)
        body = try Self.parse(bodyText, file: name, firstLine: bodyFirstLine)
        self.language = language
    }

    /// The subject (on one line) and the body (ending with one line end) for `values`.
    public func render(_ values: [String: Any]) -> RenderedLetter {
        let subjectText = MailText.singleLine(subject.render(values))
        var bodyText = body.render(values)
        while bodyText.hasSuffix("\n") { bodyText.removeLast() }
        return RenderedLetter(subject: subjectText, body: bodyText + "\n", language: language)
    }

    /// Templates render text, not HTML: values are inserted as they are. This pragma line, standalone,
    /// leaves no trace in the output.
    private static let textPragma = "{{%CONTENT_TYPE:TEXT}}\n"

    private static func parse(_ text: String, file: String, firstLine: Int) throws(LetterTemplateError)
        -> MustacheTemplate
    {
        do {
            return try MustacheTemplate(string: textPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            // The pragma line is not the operator's: line numbers start after it.
            throw LetterTemplateError(
                file: file, line: firstLine + error.context.lineNumber - 2,
                message: "\(Self.explain(error.error)) (column \(error.context.columnNumber): '\(error.context.line)')")
        } catch {
            throw LetterTemplateError(file: file, line: firstLine, message: "cannot be parsed: \(error)")
        }
    }

    private static func explain(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect:
            return "this {{/…}} does not close the section opened before it: check the names"
        case .unfinishedName: return "a tag is not finished: every {{ needs its }}"
        case .expectedSectionEnd: return "a section is never closed: add its {{/name}}"
        case .invalidSetDelimiter: return "the set-delimiter tag is malformed"
        default: return "the template cannot be parsed (\(error))"
        }
    }

    /// Refuses tags that would silently render nothing or escape this check: unknown variables, partials
    /// and blocks, and custom delimiters (after `{{=<% %>=}}` the check could not see the tags).
    /// Returns the variables used.
    @discardableResult
    static func checkTags(_ text: String, allowed: Set<String>, file: String, firstLine: Int)
        throws(LetterTemplateError) -> Set<String>
    {
        var used: Set<String> = []
        var line = firstLine
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].filter(\.isNewline).count
            guard let close = rest[open.upperBound...].range(of: "}}") else { return used }  // the parser reports it
            var tag = rest[open.upperBound..<close.lowerBound]
            line += tag.filter(\.isNewline).count
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") {
                tag = tag.dropFirst()
                if rest.hasPrefix("}") { rest = rest.dropFirst() }
            }
            guard let sigil = tag.first else { continue }
            switch sigil {
            case "!", "%": continue
            case "=":
                throw LetterTemplateError(
                    file: file, line: line,
                    message:
                        "{{\(tag)}}: changing the delimiters is not supported in letters (the tags after it could not be checked); keep {{ and }}"
                )
            case ">", "<", "$":
                throw LetterTemplateError(
                    file: file, line: line,
                    message:
                        "{{\(tag)}}: partials and blocks are not supported in letters; write the text in the template")
            case "#", "^", "/", "&": tag = tag.dropFirst()
            default: break
            }
            let name = tag.trimmingCharacters(in: .whitespaces)
            if name == "." { continue }
            if allowed.contains(name) {
                used.insert(name)
                continue
            }
            throw LetterTemplateError(
                file: file, line: line,
                message:
                    "unknown variable {{\(name)}}: use one of \(allowed.sorted().joined(separator: ", ")) (see `transfert letters --help`)"
            )
        }
        return used
    }
}

/// A letter ready to be put in an envelope.
public struct RenderedLetter: Equatable, Sendable {
    public var subject: String
    public var body: String
    public var language: String?
}

/// A template that cannot be used, with where and what to do.
public struct LetterTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String {
        "template \(file)\(line.map { ", line \($0)" } ?? ""): \(message)"
    }
}

extension LetterTemplateError: LocatedError {
    public var problemCode: ProblemCode { .templateInvalid }
    public var location: ProblemLocation? { ProblemLocation(file: file, line: line) }
}
