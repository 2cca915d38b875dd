import TransfertModel

/// One entry of a ZIP, as its central directory declares it and its local header confirmed it
/// (``ZIPCentralDirectory``): where its data lies, how it is compressed, what it should inflate to.
public struct ZIPEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink
    }

    /// The name, decoded as UTF-8 when flag bit 11 says so, else as code page 437 (APPNOTE appendix D).
    public let path: String
    /// The name's bytes as stored.
    public let rawName: [UInt8]
    public let type: Kind
    /// 0 stored, 8 deflate; anything else is refused when read.
    public let method: UInt16
    /// The general-purpose bit flag (bit 0 encrypted, 3 data descriptor, 6 strong encryption, 11 UTF-8).
    public let flags: UInt16
    /// The CRC-32 of the uncompressed data.
    public let checksum: UInt32
    public let compressedSize: UInt64
    public let uncompressedSize: UInt64
    /// Where its local header starts.
    public let localHeaderOffset: UInt64
    /// Where its compressed data starts (after the local header, name and extra field).
    public let dataOffset: UInt64
    /// Where its record ends: after the data, and after the data descriptor when there is one.
    public let recordEnd: UInt64

    /// Bit 0 (traditional PKWARE encryption), bit 6 (strong encryption) or bit 13 (masked headers).
    public var isEncrypted: Bool { flags & Self.encryptionFlags != 0 }
    public var hasDataDescriptor: Bool { flags & 0x0008 != 0 }
    static let encryptionFlags: UInt16 = 0x0001 | 0x0040 | 0x2000

    public static let stored: UInt16 = 0
    public static let deflate: UInt16 = 8
}
