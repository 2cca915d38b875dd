import Foundation
import TransfertModel

/// Inserts rows into one table with a statement prepared once.
public protocol RowInserter {
    func insert(_ values: [SQLValue]) throws
    /// Inserts a row read in place (from a dump being parsed), binding its values as parameters.
    func insert(row: some RawRow) throws
    /// Inserts consecutive rows of the same columns; a backend may bind several per statement.
    func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow
}

extension RowInserter {
    public func insert(row: some RawRow) throws {
        try insert((0..<row.count).map { row.value(at: $0) })
    }

    public func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow {
        for row in rows { try insert(row: row) }
    }
}
