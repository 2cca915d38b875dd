import Foundation
import TransfertFormats
import TransfertModel

/// What PostgreSQL's catalogs cannot give back as the neutral schema declared it, kept in the comment of
/// the object it belongs to (`COMMENT ON … IS 'transfert:…'`), so that a schema read back declares what
/// the source declared.
///
/// Why comments: PostgreSQL keeps expressions (CHECK, DEFAULT, index terms, views) only as its own parse
/// trees and prints them back rewritten (`CHECK ((score >= (0)::double precision))`), and has no place for
/// a declared type it does not know (`VARCHAR(50)` is a `text` here), for SQLite's table options or for
/// a MySQL declaration. A comment lives and dies with its object (renamed with it, dropped with it) and is
/// copied by `pg_dump`. What a comment does not carry — which columns exist, NOT NULL, keys, which
/// indexes exist — is read from the catalogs, so a change made there by hand shows.
///
/// A column's comment starts with `transfert:TYPE` (the declared type, readable in `psql`'s `\d+`); what
/// else the column declared follows on a second line as JSON. Every other object's comment is
/// `transfert:` then JSON.
struct PostgreSQLNote: Codable, Equatable {
    /// How every comment Transfert writes starts.
    static let prefix = "transfert:"

    // Columns.
    /// The DEFAULT as the schema declared it (PostgreSQL keeps its own translation).
    var defaultValue: String?
    /// `COLLATE name` as declared (every text column is `COLLATE "C"` here).
    var collation: String?
    /// `PRIMARY KEY DESC` / `AUTOINCREMENT` of the column's own primary key.
    var descending: Bool?
    var autoincrement: Bool?
    /// Whether a primary key's column was declared NOT NULL: PostgreSQL makes every key column NOT NULL, so
    /// its catalog cannot tell (SQLite's key columns may be NULL unless declared, MySQL's never are).
    var notNull: Bool?

    // Constraints.
    /// The constraint had no name in the schema (PostgreSQL named it).
    var unnamed: Bool?
    /// A CHECK's expression as declared.
    var expression: String?
    /// A foreign key that named no parent column (the parent's primary key).
    var implicitParentColumns: Bool?
    /// A foreign key's `DEFERRABLE …` as declared.
    var deferrable: String?

    // Tables.
    var withoutRowID: Bool?
    var strict: Bool?
    /// A SACoche table's MySQL declaration (exact types, AUTO_INCREMENT, comments, FULLTEXT keys…).
    var mysql: MySQLTableDefinition?
    /// The table's FULLTEXT keys as declared. They are not built here: a FULLTEXT key constrains nothing,
    /// and a B-tree index refuses a value over about 2,700 bytes, which MySQL's text columns hold.
    var fulltextIndexes: [IndexSchema]?

    // Indexes and views.
    /// An index as the schema declared it (its name is read from the catalog).
    var index: IndexSchema?
    /// A view's declared columns and SELECT.
    var viewColumns: [String]?
    var select: String?

    enum CodingKeys: String, CodingKey {
        case collation, descending, autoincrement, unnamed, expression, deferrable, strict, mysql, index, select
        case defaultValue = "default"
        case implicitParentColumns = "implicit_parent_columns"
        case withoutRowID = "without_rowid"
        case notNull = "not_null"
        case fulltextIndexes = "fulltext_indexes"
        case viewColumns = "view_columns"
    }

    var isEmpty: Bool { self == PostgreSQLNote() }

    /// `transfert:{…}` (keys sorted: the same object always gets the same comment).
    var text: String { Self.prefix + json }

    private var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A column's comment: its declared type, then the rest of what it declared, if anything.
    static func columnComment(declaredType: String, _ note: PostgreSQLNote) -> String {
        prefix + declaredType + (note.isEmpty ? "" : "\n" + note.json)
    }

    /// The note of an object's comment; nil when the comment is not one of Transfert's (or there is none).
    init?(comment: String?) {
        guard let comment, comment.hasPrefix(Self.prefix) else { return nil }
        guard
            let note = try? JSONDecoder().decode(
                PostgreSQLNote.self, from: Data(comment.dropFirst(Self.prefix.count).utf8))
        else { return nil }
        self = note
    }

    /// A column's declared type and note, from its comment; nil when the comment is not Transfert's.
    static func column(comment: String?) -> (declaredType: String, note: PostgreSQLNote)? {
        guard let comment, comment.hasPrefix(prefix) else { return nil }
        let body = comment.dropFirst(prefix.count)
        guard let newline = body.firstIndex(of: "\n") else { return (String(body), PostgreSQLNote()) }
        let note =
            (try? JSONDecoder().decode(PostgreSQLNote.self, from: Data(body[body.index(after: newline)...].utf8)))
        return (String(body[..<newline]), note ?? PostgreSQLNote())
    }

    init(
        defaultValue: String? = nil, collation: String? = nil, descending: Bool? = nil, autoincrement: Bool? = nil,
        unnamed: Bool? = nil, expression: String? = nil, implicitParentColumns: Bool? = nil, deferrable: String? = nil,
        withoutRowID: Bool? = nil, strict: Bool? = nil, mysql: MySQLTableDefinition? = nil, index: IndexSchema? = nil,
        viewColumns: [String]? = nil, select: String? = nil
    ) {
        self.defaultValue = defaultValue
        self.collation = collation
        self.descending = descending
        self.autoincrement = autoincrement
        self.unnamed = unnamed
        self.expression = expression
        self.implicitParentColumns = implicitParentColumns
        self.deferrable = deferrable
        self.withoutRowID = withoutRowID
        self.strict = strict
        self.mysql = mysql
        self.index = index
        self.viewColumns = viewColumns
        self.select = select
    }
}
