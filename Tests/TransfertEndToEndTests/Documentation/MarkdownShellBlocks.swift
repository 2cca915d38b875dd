import Foundation

/// The ```sh blocks of a markdown text, in order, with their doc-test markers.
///
/// A marker comment (`<!-- doc-test: … -->`) belongs to the fence on the next non-blank line after it;
/// one that does not precede a ```sh fence is an error, so a marker cannot drift away from its block
/// unnoticed. Fences may be indented (a block inside a list item); other languages (`text`, `yaml`,
/// `json`, `sql`, none) are output or configuration shown to the reader, not commands.
struct MarkdownShellBlocks {
    /// A marker that is not just before a ```sh block, or a block left open.
    struct Misplaced: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var reason: String
        var description: String { "\(file):\(line): \(reason)" }
    }

    let blocks: [DocumentationBlock]

    /// - Parameters:
    ///   - text: the markdown.
    ///   - file: its name, for places in messages.
    ///   - section: when given, only the blocks under the `## ` heading with this title.
    init(_ text: String, file: String, section: String? = nil) throws {
        var blocks: [DocumentationBlock] = []
        var pending: [DocumentationMarker] = []
        var pendingLine = 0
        var open: (indent: Int, shell: Bool, start: Int, markers: [DocumentationMarker], code: [String])?
        var inSection = section == nil
        let lines = text.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var block = open {
                if trimmed == "```" {
                    if block.shell && inSection {
                        blocks.append(
                            DocumentationBlock(file: file, line: block.start, code: block.code, markers: block.markers))
                    }
                    open = nil
                } else {
                    block.code.append(String(line.dropFirst(min(block.indent, line.prefix { $0 == " " }.count))))
                    open = block
                }
                continue
            }
            if let heading = Self.sectionHeading(trimmed), let section {
                inSection = heading == section
            }
            if trimmed.hasPrefix("<!-- doc-test:") {
                guard trimmed.hasSuffix("-->") else {
                    throw Misplaced(
                        file: file, line: number, reason: "a doc-test marker must fit on one line and end with -->")
                }
                let comment = String(trimmed.dropFirst("<!-- doc-test:".count).dropLast("-->".count))
                pending.append(try DocumentationMarker(comment, file: file, line: number))
                pendingLine = number
                continue
            }
            if trimmed.hasPrefix("```") {
                let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                let shell = language == "sh"
                if !pending.isEmpty && !shell {
                    throw Misplaced(
                        file: file, line: pendingLine, reason: "a doc-test marker must come just before a ```sh block")
                }
                open = (line.prefix { $0 == " " }.count, shell, number + 1, pending, [])
                pending = []
                continue
            }
            if !pending.isEmpty && !trimmed.isEmpty {
                throw Misplaced(
                    file: file, line: pendingLine, reason: "a doc-test marker must come just before a ```sh block")
            }
        }
        if let block = open {
            throw Misplaced(file: file, line: block.start - 1, reason: "this code block is never closed")
        }
        if !pending.isEmpty {
            throw Misplaced(
                file: file, line: pendingLine, reason: "a doc-test marker must come just before a ```sh block")
        }
        self.blocks = blocks
    }

    /// The title of a `## ` heading (level 2 only: sections hold their `###` subsections).
    private static func sectionHeading(_ line: String) -> String? {
        guard line.hasPrefix("## ") else { return nil }
        return line.dropFirst(3).trimmingCharacters(in: .whitespaces)
    }
}
