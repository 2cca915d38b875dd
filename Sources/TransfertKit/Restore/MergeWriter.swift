import Foundation
import TransfertFormats
import TransfertModel

/// Inserts a ``MergePlan`` into an establishment inside the writer's one transaction: the first row the
/// database refuses (a UNIQUE key the natural keys did not cover…) throws a conflict naming its table and
/// bundle row, and the store rolls every row of the merge back.
struct MergeWriter {
    let plan: MergePlan

    func write(into writer: any EstablishmentWriter) throws {
        for table in plan.tables {
            for (row, origin) in zip(table.inserts, table.origins) {
                do {
                    try writer.insertNow(into: table.name, columns: table.columns, values: row)
                } catch {
                    throw RestoreError.mergeConflict(
                        table: table.name, row: "bundle \(origin)", reason: "the database refused it (\(error))")
                }
            }
        }
    }
}
