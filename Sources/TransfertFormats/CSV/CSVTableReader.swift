import Foundation
import TransfertModel

/// Reads a CSV whose columns are found by their header names, streaming: the bytes are read twice (to
/// recognise the encoding, then to parse) a chunk at a time, the separator is recognised from the first
/// line, and only the known columns of rows that are not blank are kept. Memory is bounded by
/// ``CSVLimits`` whatever the input; every refusal names the file, the line and the field.
///
/// Both CSVs Transfert reads use it: the manifest (``CSVManifestReader``) and an import result
/// given back to `letters` (``ImportResultReader``).
package struct CSVTableReader {
    /// The canonical column names to find.
    let columns: [String]
    let file: String

    /// The header found: where, and which field holds each known column.
    package struct Header {
        package var line: Int
        var separator: CSVSeparator
        /// Known column → field index.
        package var columnIndex: [String: Int]
        /// Header cells that are no known column (a long one shortened).
        var ignored: [String]
        /// Fields of the header line, empty trailing ones left out.
        var fieldCount: Int
    }

    package struct Row {
        package var line: Int
        /// Trimmed values, in the order of ``CSVTableReader/columns``; "" when absent or empty.
        package var values: [String]
        /// Fields up to the last that holds more than spaces.
        var fieldCount: Int
    }

    package struct Table {
        var encoding: CSVEncoding
        var separator: CSVSeparator
        /// `nil`: the file holds nothing but blank lines.
        package var header: Header?
        package var rows: [Row]
    }

    /// `checkHeader` may refuse the header (a missing column) before any row is read.
    package func read(_ source: CSVByteSource, checkHeader: (Header) throws -> Void = { _ in }) throws -> Table {
        let encoding = try CSVTextEncoding.sniff(source, file: file)
        var decoder = CSVScalarDecoder(encoding: encoding)
        var scalars: [Unicode.Scalar] = []
        // The separator is recognised from the first line that is not empty; until then the parser only
        // sees line breaks (blank lines read the same whatever the separator), and the rest waits in `probe`.
        var parser = CSVRecordParser(separator: ";", keep: .all(characters: CSVLimits.headerCellCharacters))
        var separatorKnown = false
        var probe: [Unicode.Scalar] = []
        var state = State(reader: self)
        func emit(_ record: CSVRecord) throws -> CSVRecordParser.Keep? {
            try state.take(record, checkHeader: checkHeader)
        }
        try source.forEachChunk(file: file) { chunk, isLast in
            scalars.removeAll(keepingCapacity: true)
            decoder.decode(chunk, isLast: isLast, into: &scalars)
            if !separatorKnown {
                var start = scalars.startIndex
                if probe.isEmpty {
                    start = scalars.firstIndex { $0 != "\n" && $0 != "\r" } ?? scalars.endIndex
                    try parser.feed(Array(scalars[..<start]), emit: emit)
                }
                probe += scalars[start...]
                guard isLast || Self.firstLine(of: probe) != nil || probe.count >= CSVLimits.separatorProbeCharacters
                else { return true }
                let separator = detectSeparator(Self.firstLine(of: probe) ?? probe[...])
                state.separator = separator
                parser.separator = separator.character
                separatorKnown = true
                swap(&probe, &scalars)
                probe = []
            }
            try parser.feed(scalars, emit: emit)
            return true
        }
        try parser.finish(emit: emit)
        return Table(encoding: encoding.label, separator: state.separator, header: state.header, rows: state.rows)
    }

    /// What the reader has found so far.
    private struct State {
        let reader: CSVTableReader
        var separator = CSVSeparator.semicolon
        var header: Header?
        var rows: [Row] = []
        var keptBytes = 0
        /// Known column → its place in ``CSVTableReader/columns``, by field index.
        var slots: [Int: Int] = [:]

        init(reader: CSVTableReader) { self.reader = reader }

        /// Takes the header or a row; returns what the parser keeps of the rows once the header is known.
        mutating func take(_ record: CSVRecord, checkHeader: (Header) throws -> Void) throws -> CSVRecordParser.Keep? {
            guard header != nil else {
                let found = try reader.header(of: record, separator: separator)
                try checkHeader(found)
                header = found
                for (column, index) in found.columnIndex { slots[index] = reader.columns.firstIndex(of: column) }
                return .only(Set(found.columnIndex.values))
            }
            guard rows.count < CSVLimits.maximumRows else {
                throw CSVManifestError(
                    file: reader.file, line: record.line, column: nil,
                    message:
                        "more than \(CSVLimits.maximumRows) rows: a manifest lists establishments, a few hundred at most; this is not one"
                )
            }
            var values = Array(repeating: "", count: reader.columns.count)
            keptBytes += CSVLimits.rowOverhead
            for (index, text) in record.kept {
                guard let slot = slots[index] else { continue }
                let value = text.trimmingCharacters(in: .whitespaces)
                keptBytes += CSVLimits.keptCost(of: value)
                values[slot] = value
            }
            guard keptBytes <= CSVLimits.maximumKeptBytes else {
                throw CSVManifestError(
                    file: reader.file, line: record.line, column: nil,
                    message:
                        "the rows up to this one hold more than \(CSVLimits.maximumKeptBytes / 1024 / 1024) MiB of values: a manifest lists establishments, a few hundred short rows; this is not one"
                )
            }
            rows.append(Row(line: record.line, values: values, fieldCount: record.fieldCount))
            return nil
        }
    }

    /// Columns by canonical name; a header cell is matched ignoring case, accents' composition and spaces.
    private func header(of record: CSVRecord, separator: CSVSeparator) throws -> Header {
        var columnIndex: [String: Int] = [:]
        var ignored: [String] = []
        for (index, text) in record.kept {
            let name = text.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let canonical = columns.first(where: { Self.sameColumn($0, name) }) else {
                ignored.append(name.unicodeScalars.count >= CSVLimits.headerCellCharacters ? name + "…" : name)
                continue
            }
            if columnIndex[canonical] != nil {
                throw CSVManifestError(
                    file: file, line: record.line, column: canonical,
                    message: "the column \(canonical) appears twice in the header: keep one")
            }
            columnIndex[canonical] = index
        }
        return Header(
            line: record.line, separator: separator, columnIndex: columnIndex, ignored: ignored,
            fieldCount: record.fieldCount)
    }

    static func sameColumn(_ canonical: String, _ name: String) -> Bool {
        canonical.precomposedStringWithCanonicalMapping.caseInsensitiveCompare(
            name.precomposedStringWithCanonicalMapping) == .orderedSame
    }

    /// The first line that is not empty, once its end has been read.
    private static func firstLine(of scalars: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar>? {
        guard let start = scalars.firstIndex(where: { $0 != "\n" && $0 != "\r" }),
            let end = scalars[start...].firstIndex(where: { $0 == "\n" || $0 == "\r" })
        else { return nil }
        return scalars[start..<end]
    }

    /// The candidate that splits the header into the most known column names; `;` when none does.
    private func detectSeparator(_ line: ArraySlice<Unicode.Scalar>) -> CSVSeparator {
        let start = line.firstIndex(where: { $0 != "\n" && $0 != "\r" }) ?? line.endIndex
        let text = Array(line[start...])
        var best = CSVSeparator.semicolon
        var bestScore = 0
        for candidate in CSVSeparator.allCases {
            var parser = CSVRecordParser(
                separator: candidate.character, keep: .all(characters: CSVLimits.headerCellCharacters))
            var fields: [String] = []
            do {
                let first: CSVRecordParser.Emit = { record in
                    if fields.isEmpty { fields = record.kept.map(\.text) }
                    return nil
                }
                try parser.feed(text, emit: first)
                try parser.finish(emit: first)
            } catch {
                // A line this separator cannot parse scores what it found before (nothing, usually).
            }
            let score = fields.filter { field in
                columns.contains { Self.sameColumn($0, field.trimmingCharacters(in: .whitespaces)) }
            }.count
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }

    /// The memberwise initialiser, written out so that the other targets of the package can call it.
    package init(columns: [String], file: String) {
        self.columns = columns
        self.file = file
    }
}
