import Foundation
import TransfertFormats
import TransfertModel

/// Transfert's own tables inside an establishment database, which hold a SIS feed's state so that it
/// travels in every bundle: after a move, the next feed continues where the old server stopped.
///
/// `transfert_feed_membership` holds one record per (course key, person key) — unique by the feed's own
/// writes, under the establishment's lock: MariaDB cannot index two text keys of any length together, so
/// the table has a row id and an index on the person key (a person has a few memberships, a course may
/// have hundreds: every lookup by both keys goes through the person's few) — the integration that owns
/// it, its data source, row status, availability and role, when it was first and last seen, when it was
/// disabled, and the run and line that last stated it (`seen_run`: a refresh disables the owned records
/// the run did not stamp, without holding the file's keys in memory). `transfert_feed_course_set` declares
/// cross-listed course sets (`transfert feed course-set`). Both are created on first use, in the archive's
/// portable DDL, so every backend creates them and every bundle carries them.
public enum FeedStateTables {
    public static let membership = "transfert_feed_membership"
    public static let courseSet = "transfert_feed_course_set"
    public static let all = [membership, courseSet]

    /// Whether `table` is one of Transfert's own (not the application's): an import does not compare it
    /// with a fresh establishment's schema.
    public static func isOwn(_ table: String) -> Bool { all.contains(table.lowercased()) }

    static let ddl = """
        CREATE TABLE transfert_feed_membership (
          id INTEGER PRIMARY KEY,
          course_key TEXT NOT NULL,
          person_key TEXT NOT NULL,
          integration TEXT NOT NULL,
          data_source TEXT NOT NULL,
          row_status TEXT NOT NULL CHECK (row_status IN ('enabled', 'disabled')),
          available INTEGER NOT NULL,
          role TEXT,
          first_seen TEXT NOT NULL,
          last_seen TEXT NOT NULL,
          disabled_at TEXT,
          seen_run INTEGER NOT NULL,
          seen_line INTEGER NOT NULL
        );
        CREATE INDEX transfert_feed_membership_person ON transfert_feed_membership(person_key);
        CREATE TABLE transfert_feed_course_set (
          course_key TEXT PRIMARY KEY NOT NULL,
          set_key TEXT NOT NULL
        );
        CREATE INDEX transfert_feed_course_set_set ON transfert_feed_course_set(set_key);
        """

    /// The tables as neutral values (parsed once; the text above is a constant that parses).
    static let schema: DatabaseSchema = (try? SchemaStatementParser.parseScript(ddl)) ?? DatabaseSchema()

    /// Creates the tables `names` lacks. On MariaDB a CREATE TABLE commits what came before it: callers
    /// create them first, before any row of the run is written.
    static func create(missingFrom names: Set<String>, with writer: any EstablishmentWriter) throws {
        for table in schema.tables where !names.contains(table.name) {
            try writer.createTable(table)
            for index in table.indexes { try writer.createIndex(index, on: table.name) }
        }
    }
}
