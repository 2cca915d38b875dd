import Foundation

/// The fields of one line of a OneRoster CSV file (RFC 4180 within a line: `,` between fields, a field
/// in double quotes may hold commas and `""` for a quote). A quoted field cannot span lines: no OneRoster
/// field needs a line break, and supporting one would let a stray quote swallow the rest of the file.
enum OneRosterCSVLine {
    /// The fields, or why the line is not comma-separated values.
    static func fields(_ line: String) -> Result<[String], Malformed> {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var closed = false
        var atStart = true
        for scalar in line.unicodeScalars {
            if quoted {
                if scalar == "\"" {
                    quoted = false
                    closed = true
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                closed = false
                atStart = true
                continue
            case "\"" where atStart:
                quoted = true
            case "\"" where closed:
                // `""` inside a quoted field: a literal quote, and the field goes on.
                field.unicodeScalars.append("\"")
                quoted = true
                closed = false
            default:
                if closed { return .failure(Malformed(reason: "text follows a closing quote")) }
                if scalar == "\"" { return .failure(Malformed(reason: "a quote inside an unquoted field")) }
                field.unicodeScalars.append(scalar)
            }
            atStart = false
        }
        if quoted { return .failure(Malformed(reason: "a quoted field is not closed on its line")) }
        fields.append(field)
        return .success(fields)
    }

    struct Malformed: Error, Equatable {
        var reason: String
    }
}
