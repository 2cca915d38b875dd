import TransfertModel

/// Reads a ZIP record's little-endian fields from bytes already read, refusing to go past their end
/// (the record's declared lengths are input, never trusted).
struct ZIPFieldReader {
    let bytes: [UInt8]
    private(set) var position: Int
    /// What the bytes are, for messages ("the central directory record of entry 3").
    let what: String

    init(_ bytes: [UInt8], at position: Int = 0, what: String) {
        self.bytes = bytes
        self.position = position
        self.what = what
    }

    var remaining: Int { bytes.count - position }

    mutating func skip(_ count: Int) throws(ZIPStructureError) { _ = try take(count) }

    mutating func take(_ count: Int) throws(ZIPStructureError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw ZIPStructureError(
                "\(what) is cut short: \(count) more bytes were expected at byte \(position), only \(max(remaining, 0)) remain"
            )
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func u16() throws(ZIPStructureError) -> UInt16 {
        let slice = try take(2)
        return UInt16(slice[slice.startIndex]) | UInt16(slice[slice.startIndex + 1]) << 8
    }

    mutating func u32() throws(ZIPStructureError) -> UInt32 {
        let slice = try take(4)
        return slice.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws(ZIPStructureError) -> UInt64 {
        let slice = try take(8)
        return slice.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
