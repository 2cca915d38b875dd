import TransfertModel

/// How a ZIP archive's first bytes look, whether it is a file an operator typed or an entry inside another
/// ZIP (SACoche's per-base ZIPs), so that every "is this a ZIP?" question has one answer.
enum ZIPSignature {
    /// A local file header, an empty archive's end of central directory, a spanned archive's marker.
    static let leading: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08]]

    /// Whether `head` (the first four bytes, or fewer when there are no more) starts a ZIP archive.
    static func startsArchive<Bytes: Collection>(_ head: Bytes) -> Bool where Bytes.Element == UInt8 {
        leading.contains { $0.elementsEqual(head.prefix(4)) }
    }
}
