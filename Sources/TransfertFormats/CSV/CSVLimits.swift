import Foundation
import TransfertModel

/// What a CSV read from outside (a manifest an operator edited, an import result given back to
/// `letters`) may hold. Each limit is far beyond what a spreadsheet writes, and each bounds the reader's
/// memory, so that any file under ``maximumBytes`` is read in linear time and a bounded amount of memory
/// (peak RSS under 128 MiB for the whole command), or refused with its line and field named.
public enum CSVLimits {
    /// Reading more than this is not an edited manifest any more.
    public static let maximumBytes = 64 * 1024 * 1024
    /// Characters in one field: Excel's limit per cell.
    public static let maximumFieldCharacters = 32_767
    /// Fields on one line: Excel's number of columns.
    public static let maximumFieldsPerLine = 16_384
    /// Rows that are not blank, after the header: a manifest lists establishments, a few hundred at most.
    public static let maximumRows = 20_000
    /// What the rows cost in memory once read (see ``keptCost(of:)``): real manifests hold well under 1 MiB.
    public static let maximumKeptBytes = 16 * 1024 * 1024
    /// The first line is looked at this far to recognise the separator.
    static let separatorProbeCharacters = 1 << 20
    /// Bytes read at a time.
    static let chunkBytes = 1 << 20
    /// A header cell is kept this long (longer ones are no known column; they are listed shortened).
    static let headerCellCharacters = 256
    /// What one row costs besides its values: the row and its array of values (measured: a little more).
    static let rowOverhead = 320

    /// What one value costs in memory: nothing beyond the row's array up to 15 UTF-8 bytes (Swift keeps
    /// those inline), else its bytes, the string's header and the allocator's own header and rounding.
    static func keptCost(of value: String) -> Int {
        let bytes = value.utf8.count
        return bytes <= 15 ? 0 : (bytes + 32 + 16 + 15) & ~15
    }
}
