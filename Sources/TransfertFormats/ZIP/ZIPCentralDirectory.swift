import TransfertModel

/// A ZIP's entries, read from its central directory and each one proved against its local header
/// before anything is inflated (PKWARE APPNOTE 6.3.x, sections 4.3–4.5).
///
/// What is refused, because each has been used to smuggle or to hang a reader:
/// - a record, name, extra field or ZIP64 field cut short, or a ZIP64 value announced and missing;
/// - an entry whose local header, data or data descriptor does not lie wholly inside the file, before
///   the central directory — so no read can run past the end of the file and wait for bytes that will
///   never come;
/// - two entries whose records overlap (several entries pointing into one local record: a "quine" or an
///   overlapping-files bomb);
/// - a local header that disagrees with its central record (signature, name, method, flags; CRC-32 and
///   sizes unless a data descriptor carries them, and then the descriptor must agree);
/// - a central directory larger than ``maximumDirectoryBytes`` or with bytes after its declared entries.
///
/// Every size and offset is a `UInt64` combined with checked arithmetic: no value read can trap.
struct ZIPCentralDirectory {
    /// In the order the central directory lists them.
    let entries: [ZIPEntry]
    let end: ZIPEndOfCentralDirectory

    /// The whole directory is read at once: this bounds it (about a million entries with short names).
    static let maximumDirectoryBytes: UInt64 = 128 * 1024 * 1024
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50
    static let descriptorSignature: UInt32 = 0x0807_4B50
    private static let saturated32 = UInt32.max

    init(reading file: ZIPFileReader) throws(ZIPStructureError) {
        end = try ZIPEndOfCentralDirectory(reading: file)
        guard end.directorySize <= Self.maximumDirectoryBytes else {
            throw ZIPStructureError(
                "its central directory is \(end.directorySize) bytes, beyond the \(Self.maximumDirectoryBytes / 1024 / 1024) MiB Transfert reads"
            )
        }
        let directory = try file.read(
            at: end.directoryOffset, count: Int(end.directorySize), what: "the central directory")
        var reader = ZIPFieldReader(directory, what: "the central directory")
        var entries: [ZIPEntry] = []
        entries.reserveCapacity(Int(end.count))
        for number in 1...max(end.count, 1) where number <= end.count {
            entries.append(
                try Self.entry(number: number, from: &reader, file: file, directoryStart: end.directoryOffset))
        }
        guard reader.remaining == 0 else {
            throw ZIPStructureError(
                "its central directory holds \(reader.remaining) bytes after the \(end.count) entries it declares")
        }
        // No two records may share a byte: sorted by start, each ends before the next begins.
        let byStart = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (previous, next) in zip(byStart, byStart.dropFirst()) where previous.recordEnd > next.localHeaderOffset {
            throw ZIPStructureError(
                "entries '\(previous.path)' and '\(next.path)' overlap in the file (offsets \(previous.localHeaderOffset)–\(previous.recordEnd) and \(next.localHeaderOffset)): one record is read as two entries, as zip bombs do"
            )
        }
        self.entries = entries
    }

    /// One central record, its ZIP64 values resolved, and its local header checked.
    private static func entry(
        number: UInt64, from reader: inout ZIPFieldReader, file: ZIPFileReader,
        directoryStart: UInt64
    ) throws(ZIPStructureError) -> ZIPEntry {
        let place = "entry \(number) of the central directory"
        guard try reader.u32() == centralSignature else {
            throw ZIPStructureError("\(place) does not start with a central record's signature")
        }
        let madeBy = try reader.u16()
        try reader.skip(2)  // version needed
        let flags = try reader.u16()
        let method = try reader.u16()
        try reader.skip(4)  // time, date
        let crc = try reader.u32()
        let compressed32 = try reader.u32()
        let uncompressed32 = try reader.u32()
        let nameLength = Int(try reader.u16())
        let extraLength = Int(try reader.u16())
        let commentLength = Int(try reader.u16())
        let disk16 = try reader.u16()
        try reader.skip(2)  // internal attributes
        let external = try reader.u32()
        let offset32 = try reader.u32()
        let rawName = Array(try reader.take(nameLength))
        let extra = Array(try reader.take(extraLength))
        try reader.skip(commentLength)

        let path: String
        if flags & 0x0800 != 0 {
            // Decoding repairs invalid sequences; a name that does not survive the round trip was not UTF-8.
            let decoded = String(decoding: rawName, as: UTF8.self)
            guard decoded.utf8.elementsEqual(rawName) else {
                throw ZIPStructureError("\(place) has a name flagged UTF-8 that is not valid UTF-8")
            }
            path = decoded
        } else {
            path = CodePage437.decode(rawName)
        }
        let named = "entry '\(path)'"

        // ZIP64 values appear, in this order, only for the fields that are all ones (APPNOTE 4.5.3).
        var zip64 = ZIPFieldReader(
            try extraField(0x0001, in: extra, of: named) ?? [], what: "the ZIP64 field of \(named)")
        let uncompressed = uncompressed32 == saturated32 ? try zip64.u64() : UInt64(uncompressed32)
        let compressed = compressed32 == saturated32 ? try zip64.u64() : UInt64(compressed32)
        let offset = offset32 == saturated32 ? try zip64.u64() : UInt64(offset32)
        let disk = disk16 == UInt16.max ? try zip64.u32() : UInt32(disk16)
        guard disk == 0 else {
            throw ZIPStructureError("\(named) starts on disk \(disk): a split ZIP, which Transfert does not read")
        }

        // The local header: inside the file, before the central directory, and saying the same.
        guard file.contains(offset: offset, count: 30), offset + 30 <= directoryStart else {
            throw ZIPStructureError(
                "\(named) declares its local header at offset \(offset), outside the entries' part of the file (which ends at offset \(directoryStart), the file at \(file.size))"
            )
        }
        var local = ZIPFieldReader(
            try file.read(at: offset, count: 30, what: "the local header of \(named)"),
            what: "the local header of \(named)")
        guard try local.u32() == localSignature else {
            throw ZIPStructureError("\(named) points at offset \(offset), where there is no local header")
        }
        try local.skip(2)
        let localFlags = try local.u16()
        let localMethod = try local.u16()
        try local.skip(4)
        let localCRC = try local.u32()
        let localCompressed32 = try local.u32()
        let localUncompressed32 = try local.u32()
        let localNameLength = UInt64(try local.u16())
        let localExtraLength = UInt64(try local.u16())
        let dataOffset = offset + 30 + localNameLength + localExtraLength  // each term is bounded: no overflow
        guard dataOffset <= directoryStart else {
            throw ZIPStructureError("the local header of \(named) (offset \(offset)) runs into the central directory")
        }
        let localTail = try file.read(
            at: offset + 30, count: Int(localNameLength + localExtraLength), what: "the local header of \(named)")
        guard localTail.prefix(Int(localNameLength)).elementsEqual(rawName) else {
            throw ZIPStructureError(
                "\(named): the local header at offset \(offset) names another entry ('\(String(decoding: localTail.prefix(Int(localNameLength)), as: UTF8.self))')"
            )
        }
        guard localFlags == flags, localMethod == method else {
            throw ZIPStructureError(
                "\(named): the local header says flags \(localFlags) and method \(localMethod), the central directory flags \(flags) and method \(method)"
            )
        }
        let (dataEnd, overflow) = dataOffset.addingReportingOverflow(compressed)
        guard !overflow, dataEnd <= directoryStart else {
            throw ZIPStructureError(
                "\(named) declares \(compressed) compressed bytes from offset \(dataOffset), past the end of the entries' part of the file (offset \(directoryStart)): the ZIP is truncated or its sizes lie"
            )
        }
        let localZIP64 = try extraField(
            0x0001, in: Array(localTail.dropFirst(Int(localNameLength))), of: "the local header of \(named)")
        var recordEnd = dataEnd
        if flags & 0x0008 == 0 {
            var local64 = ZIPFieldReader(localZIP64 ?? [], what: "the local ZIP64 field of \(named)")
            let localUncompressed = localUncompressed32 == saturated32 ? try local64.u64() : UInt64(localUncompressed32)
            let localCompressed = localCompressed32 == saturated32 ? try local64.u64() : UInt64(localCompressed32)
            guard localCRC == crc, localCompressed == compressed, localUncompressed == uncompressed else {
                throw ZIPStructureError(
                    "\(named): the local header declares CRC-32 \(localCRC), \(localCompressed) compressed and \(localUncompressed) bytes, the central directory \(crc), \(compressed) and \(uncompressed)"
                )
            }
        } else {
            // A data descriptor follows the data: an optional signature, the CRC-32, both sizes (8 bytes
            // each in a ZIP64 entry).
            let wide = localZIP64 != nil || compressed32 == saturated32 || uncompressed32 == saturated32
            let length = UInt64(wide ? 20 : 12)
            guard dataEnd + 4 <= directoryStart else {
                throw ZIPStructureError("\(named) has no room for its data descriptor before the central directory")
            }
            var descriptor = ZIPFieldReader(
                try file.read(at: dataEnd, count: 4, what: "the data descriptor of \(named)"),
                what: "the data descriptor of \(named)")
            let signed = try descriptor.u32() == descriptorSignature
            let start = dataEnd + (signed ? 4 : 0)
            guard start + length <= directoryStart else {
                throw ZIPStructureError("the data descriptor of \(named) runs into the central directory")
            }
            var fields = ZIPFieldReader(
                try file.read(at: start, count: Int(length), what: "the data descriptor of \(named)"),
                what: "the data descriptor of \(named)")
            let descriptorCRC = try fields.u32()
            let descriptorCompressed = wide ? try fields.u64() : UInt64(try fields.u32())
            let descriptorUncompressed = wide ? try fields.u64() : UInt64(try fields.u32())
            guard descriptorCRC == crc, descriptorCompressed == compressed, descriptorUncompressed == uncompressed
            else {
                throw ZIPStructureError(
                    "\(named): its data descriptor declares CRC-32 \(descriptorCRC), \(descriptorCompressed) compressed and \(descriptorUncompressed) bytes, the central directory \(crc), \(compressed) and \(uncompressed)"
                )
            }
            recordEnd = start + length
        }

        return ZIPEntry(
            path: path, rawName: rawName, type: kind(madeBy: madeBy, external: external, path: path), method: method,
            flags: flags, checksum: crc, compressedSize: compressed, uncompressedSize: uncompressed,
            localHeaderOffset: offset, dataOffset: dataOffset, recordEnd: recordEnd)
    }

    /// The data of extra field `id`, after checking that the extra fields tile their area exactly.
    private static func extraField(_ id: UInt16, in extra: [UInt8], of named: String) throws(ZIPStructureError)
        -> [UInt8]?
    {
        var reader = ZIPFieldReader(extra, what: "the extra field of \(named)")
        var found: [UInt8]?
        while reader.remaining > 0 {
            let fieldID = try reader.u16()
            let length = Int(try reader.u16())
            let data = Array(try reader.take(length))
            if fieldID == id {
                guard found == nil else { throw ZIPStructureError("\(named) has two extra fields of type \(id)") }
                found = data
            }
        }
        return found
    }

    /// A symbolic link or a directory by its Unix mode (hosts 3, Unix, and 19, OS X), a directory by its
    /// trailing slash or its MS-DOS attribute; anything else is a file.
    private static func kind(madeBy: UInt16, external: UInt32, path: String) -> ZIPEntry.Kind {
        let host = madeBy >> 8
        if host == 3 || host == 19 {
            switch (external >> 16) & 0o170000 {
            case 0o120000: return .symlink
            case 0o040000: return .directory
            default: break
            }
        }
        if path.hasSuffix("/") || (host == 0 && external & 0x10 != 0) { return .directory }
        return .file
    }
}
