#if canImport(Glibc)
    import Glibc
    import TransfertModel
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ZIP file opened for positioned reads (`pread`), bounded by the file's real size as it was when
/// opened: a read that would go past the end is refused before it is made, and a short read (the file
/// shrank meanwhile) is an error, never a wait. Several threads may read at once: `pread` moves no shared
/// position.
final class ZIPFileReader: Sendable {
    let path: String
    /// The file's size when it was opened; every range read is checked against it.
    let size: UInt64
    private let descriptor: Int32

    init(path: String) throws(ZIPStructureError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ZIPStructureError("it cannot be opened (\(String(cString: strerror(errno))))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size >= 0 else {
            close(descriptor)
            throw ZIPStructureError("it is not a regular file")
        }
        self.descriptor = descriptor
        size = UInt64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Whether `count` bytes from `offset` lie inside the file (without overflowing).
    func contains(offset: UInt64, count: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(count)
        return !overflow && end <= size
    }

    /// Exactly `count` bytes at `offset`, or an error naming what was being read.
    func read(at offset: UInt64, count: Int, what: @autoclosure () -> String) throws(ZIPStructureError) -> [UInt8] {
        guard count >= 0, contains(offset: offset, count: UInt64(count)) else {
            throw ZIPStructureError(
                "\(what()) (\(count) bytes at offset \(offset)) lies past the end of the file (\(size) bytes)")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let failure: ZIPStructureError? = bytes.withUnsafeMutableBytes { buffer in
            do throws(ZIPStructureError) { try read(into: buffer, at: offset, what: what()) } catch { return error }
            return nil
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fills `buffer` from `offset`. The range was checked against ``size``; fewer bytes than that means
    /// the file changed under the reader.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, what: @autoclosure () -> String)
        throws(ZIPStructureError)
    {
        guard contains(offset: offset, count: UInt64(buffer.count)), let base = buffer.baseAddress else {
            if buffer.isEmpty { return }
            throw ZIPStructureError(
                "\(what()) (\(buffer.count) bytes at offset \(offset)) lies past the end of the file (\(size) bytes)")
        }
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, base + done, buffer.count - done, off_t(offset + UInt64(done)))
            if got < 0 {
                if errno == EINTR { continue }
                throw ZIPStructureError("\(what()) cannot be read (\(String(cString: strerror(errno))))")
            }
            if got == 0 {
                throw ZIPStructureError(
                    "\(what()) ends at offset \(offset + UInt64(done)): the file is shorter than when it was opened")
            }
            done += got
        }
    }
}
