import Foundation
import TransfertModel

/// RFC 4180, pushed a chunk of scalars at a time: quoted fields may hold the separator, doubled quotes
/// and line breaks; spaces after a closing quote are dropped; CRLF, LF or CR end a line.
///
/// Nothing grows with the input but what the caller asks to keep (``keep``): blank records (empty lines,
/// lines of empty cells a spreadsheet leaves) are counted in line numbers and dropped, fields not kept
/// are only measured, and ``CSVLimits`` bound a field's length and a line's fields. So any input is
/// parsed in linear time and bounded memory, or refused with its line and field.
struct CSVRecordParser {
    /// Which fields of a record are kept, and how long.
    enum Keep {
        /// Every field, up to `characters` each (the header: its cells are names).
        case all(characters: Int)
        /// Only these fields (by index), whole (the rows: the known columns).
        case only(Set<Int>)
    }

    /// Set once, before the first scalar that is not a line break (``CSVTableReader`` recognises it).
    var separator: Unicode.Scalar
    var keep: Keep

    // Position, as the whole-file reader counted it: a line per CR, LF or CRLF, a column per scalar.
    private var line = 1, column = 1
    private var recordLine = 1
    private var previousWasCR = false
    // Quoting.
    private var quoted = false
    private var quoteMaybeClosed = false  // a quote inside a quoted field: closing, or the first of a pair
    private var afterClosingQuote = false
    private var quoteLine = 1, quoteColumn = 1
    // The current field and record.
    private var fieldStarted = false
    private var fieldIndex = 0
    private var fieldLength = 0
    private var fieldLine = 1, fieldColumn = 1
    private var fieldHasContent = false
    private var keepingField = true
    private var keptLimit = Int.max
    private var field = String.UnicodeScalarView()
    private var kept: [(index: Int, text: String)] = []
    private var lastNonBlank = -1

    init(separator: Unicode.Scalar, keep: Keep) {
        self.separator = separator
        self.keep = keep
        startField()
    }

    /// What the caller does with a record: `emit` returns what to keep of the records after it (the
    /// header decides which fields of the rows are kept), or `nil` to keep as before.
    typealias Emit = (CSVRecord) throws -> Keep?

    /// Parses `scalars`, handing each record that is not blank to `emit`.
    mutating func feed(_ scalars: [Unicode.Scalar], emit: Emit) throws {
        for scalar in scalars { try consume(scalar, emit: emit) }
    }

    /// The end of the input: the last record, or the unclosed quote.
    mutating func finish(emit: Emit) throws {
        if quoteMaybeClosed {
            quoteMaybeClosed = false
            quoted = false
            afterClosingQuote = true
        }
        if quoted {
            throw CSVSyntaxError(
                line: quoteLine, column: "character \(quoteColumn)",
                message: "a quoted field is never closed (a missing '\"')")
        }
        if fieldStarted || fieldIndex > 0 || fieldLength > 0 || afterClosingQuote { try endRecord(emit: emit) }
    }

    private mutating func consume(_ scalar: Unicode.Scalar, emit: Emit) throws {
        if quoteMaybeClosed {
            quoteMaybeClosed = false
            if scalar == "\"" {  // a doubled quote: one quote in the value
                try append("\"")
                column += 1
                return
            }
            quoted = false
            afterClosingQuote = true
        }
        defer {
            if scalar == "\n" || scalar == "\r" {
                if !(scalar == "\n" && previousWasCR) { line += 1 }
                column = 1
            } else {
                column += 1
            }
            previousWasCR = scalar == "\r"
        }
        if quoted {
            if scalar == "\"" { quoteMaybeClosed = true } else { try append(scalar) }
            return
        }
        switch scalar {
        case separator:
            try endField()
        case "\r", "\n":
            if scalar == "\n" && previousWasCR { return }  // the LF of a CRLF
            try endRecord(emit: emit)
            recordLine = line + 1
        case "\"" where !fieldStarted:
            quoted = true
            fieldStarted = true
            quoteLine = line
            quoteColumn = column
        default:
            if afterClosingQuote {
                if scalar == " " || scalar == "\t" { return }  // spaces after a closing quote
                throw CSVSyntaxError(
                    line: line, column: "character \(column)",
                    message:
                        "unexpected '\(scalar.escaped(asASCII: false))' after a closing quote: a quoted field must end at the separator"
                )
            }
            try append(scalar)
            fieldStarted = true
        }
    }

    private mutating func append(_ scalar: Unicode.Scalar) throws {
        fieldLength += 1
        guard fieldLength <= CSVLimits.maximumFieldCharacters else {
            throw CSVSyntaxError(
                line: fieldLine, column: "field \(fieldIndex + 1) (character \(fieldColumn))",
                message:
                    "a value longer than \(CSVLimits.maximumFieldCharacters) characters, a spreadsheet cell's limit: this is not an edited manifest"
            )
        }
        if !fieldHasContent && !Self.isWhitespace(scalar) { fieldHasContent = true }
        if keepingField && fieldLength <= keptLimit { field.append(scalar) }
    }

    /// `CharacterSet.whitespaces`: tab and the space separators (Unicode category Zs).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
    }

    private mutating func startField() {
        fieldStarted = false
        afterClosingQuote = false
        fieldLength = 0
        fieldHasContent = false
        fieldLine = line
        fieldColumn = column
        switch keep {
        case .all(let characters):
            keepingField = true
            keptLimit = characters
        case .only(let indexes):
            keepingField = indexes.contains(fieldIndex)
            keptLimit = Int.max
        }
    }

    private mutating func endField() throws {
        if fieldHasContent { lastNonBlank = fieldIndex }
        if keepingField && fieldHasContent { kept.append((fieldIndex, String(field))) }
        field = String.UnicodeScalarView()
        fieldIndex += 1
        guard fieldIndex < CSVLimits.maximumFieldsPerLine else {
            throw CSVSyntaxError(
                line: recordLine, column: "field \(fieldIndex + 1)",
                message:
                    "more than \(CSVLimits.maximumFieldsPerLine) fields on one line, a spreadsheet's number of columns: this is not an edited manifest"
            )
        }
        // The next field starts after the separator.
        fieldLine = line
        fieldColumn = column + 1
        startField()
        fieldColumn = column + 1
    }

    private mutating func endRecord(emit: Emit) throws {
        if fieldHasContent { lastNonBlank = fieldIndex }
        if keepingField && fieldHasContent { kept.append((fieldIndex, String(field))) }
        let record = CSVRecord(line: recordLine, kept: kept, fieldCount: lastNonBlank + 1, totalFields: fieldIndex + 1)
        field = String.UnicodeScalarView()
        kept = []
        fieldIndex = 0
        let blank = lastNonBlank < 0
        lastNonBlank = -1
        if !blank, let next = try emit(record) { keep = next }
        startField()
        fieldLine = line + 1
        fieldColumn = 1
    }
}
