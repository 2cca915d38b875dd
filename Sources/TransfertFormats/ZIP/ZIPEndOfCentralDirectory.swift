import TransfertModel

/// Where a ZIP's central directory is and how many entries it lists, from the end-of-central-directory
/// record and, when there is one, the ZIP64 record its locator points to (APPNOTE 4.3.14–4.3.16).
///
/// The record is looked for from the end, and only a record whose comment ends exactly at the end of the
/// file is taken: bytes that merely look like a record inside a comment are not one. Every value is
/// checked against the file's real size before it is used, with checked arithmetic.
struct ZIPEndOfCentralDirectory: Equatable {
    /// The number of entries the directory lists.
    var count: UInt64
    var directoryOffset: UInt64
    var directorySize: UInt64
    /// Where the directory must end: the ZIP64 record when there is one, else the end record.
    var directoryEnd: UInt64

    static let signature: UInt32 = 0x0605_4B50
    static let zip64Signature: UInt32 = 0x0606_4B50
    static let locatorSignature: UInt32 = 0x0706_4B50
    static let recordLength = 22
    /// A central directory record is at least this long (46 bytes and a name, extra field, comment).
    static let minimumEntryRecord: UInt64 = 46

    init(reading file: ZIPFileReader) throws(ZIPStructureError) {
        guard file.size >= UInt64(Self.recordLength) else {
            throw ZIPStructureError(
                "it is \(file.size) bytes long, shorter than the smallest ZIP (22 bytes): it is truncated")
        }
        let tailLength = min(file.size, UInt64(Self.recordLength + Int(UInt16.max)))
        let tailStart = file.size - tailLength
        let tail = try file.read(at: tailStart, count: Int(tailLength), what: "the end of the file")
        var found: Int?
        var index = tail.count - Self.recordLength
        while index >= 0 {
            if tail[index] == 0x50, tail[index + 1] == 0x4B, tail[index + 2] == 0x05, tail[index + 3] == 0x06 {
                let commentLength = Int(tail[index + 20]) | Int(tail[index + 21]) << 8
                if index + Self.recordLength + commentLength == tail.count {
                    found = index
                    break
                }
            }
            index -= 1
        }
        guard let found else {
            throw ZIPStructureError("it has no end-of-central-directory record: it is truncated, or not a ZIP")
        }
        let recordOffset = tailStart + UInt64(found)
        var record = ZIPFieldReader(tail, at: found + 4, what: "the end-of-central-directory record")
        let disk = try record.u16()
        let directoryDisk = try record.u16()
        let countOnDisk = try record.u16()
        let count16 = try record.u16()
        let size32 = try record.u32()
        let offset32 = try record.u32()
        guard disk == 0, directoryDisk == 0, countOnDisk == count16 else {
            throw ZIPStructureError(
                "it declares itself part of a ZIP split over several disks, which Transfert does not read")
        }
        count = UInt64(count16)
        directorySize = UInt64(size32)
        directoryOffset = UInt64(offset32)
        directoryEnd = recordOffset

        if recordOffset >= 20,
            try file.read(at: recordOffset - 20, count: 4, what: "the ZIP64 locator") == [0x50, 0x4B, 0x06, 0x07]
        {
            let locatorOffset = recordOffset - 20
            var locator = ZIPFieldReader(
                try file.read(at: locatorOffset, count: 20, what: "the ZIP64 locator"), at: 4, what: "the ZIP64 locator"
            )
            let zip64Disk = try locator.u32()
            let zip64Offset = try locator.u64()
            let disks = try locator.u32()
            guard zip64Disk == 0, disks <= 1 else {
                throw ZIPStructureError(
                    "its ZIP64 locator declares \(disks) disks: a split ZIP, which Transfert does not read")
            }
            guard zip64Offset < locatorOffset, locatorOffset - zip64Offset >= 56 else {
                throw ZIPStructureError(
                    "its ZIP64 locator points at offset \(zip64Offset), where no ZIP64 record fits before the locator (offset \(locatorOffset))"
                )
            }
            var zip64 = ZIPFieldReader(
                try file.read(at: zip64Offset, count: 56, what: "the ZIP64 end-of-central-directory record"),
                what: "the ZIP64 end-of-central-directory record")
            guard try zip64.u32() == Self.zip64Signature else {
                throw ZIPStructureError(
                    "its ZIP64 locator points at offset \(zip64Offset), where there is no ZIP64 record")
            }
            let recordSize = try zip64.u64()
            try zip64.skip(4)
            let disk = try zip64.u32()
            let directoryDisk = try zip64.u32()
            let countOnDisk = try zip64.u64()
            let count64 = try zip64.u64()
            let size64 = try zip64.u64()
            let offset64 = try zip64.u64()
            guard recordSize >= 44, recordSize == locatorOffset - zip64Offset - 12 else {
                throw ZIPStructureError(
                    "its ZIP64 record declares a length of \(recordSize) bytes where \(locatorOffset - zip64Offset - 12) lie before the locator"
                )
            }
            guard disk == 0, directoryDisk == 0, countOnDisk == count64 else {
                throw ZIPStructureError(
                    "its ZIP64 record declares a ZIP split over several disks, which Transfert does not read")
            }
            // The 16- and 32-bit fields either say "see ZIP64" (all ones) or agree with it.
            guard count16 == UInt16.max || UInt64(count16) == count64,
                size32 == UInt32.max || UInt64(size32) == size64,
                offset32 == UInt32.max || UInt64(offset32) == offset64
            else {
                throw ZIPStructureError(
                    "its end record and its ZIP64 record disagree on the central directory (entries \(count16) vs \(count64), size \(size32) vs \(size64), offset \(offset32) vs \(offset64))"
                )
            }
            count = count64
            directorySize = size64
            directoryOffset = offset64
            directoryEnd = zip64Offset
        }

        let (directoryStop, overflow) = directoryOffset.addingReportingOverflow(directorySize)
        guard !overflow, directoryStop == directoryEnd else {
            throw ZIPStructureError(
                "its central directory (\(directorySize) bytes at offset \(directoryOffset)) does not end where its end record starts (offset \(directoryEnd)): the ZIP is damaged, truncated or has bytes inserted"
            )
        }
        guard count <= directorySize / Self.minimumEntryRecord else {
            throw ZIPStructureError(
                "it declares \(count) entries in a central directory of \(directorySize) bytes, which cannot hold them")
        }
    }
}
