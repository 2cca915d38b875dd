import Foundation
import TransfertModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The free space of a file system, asked before a command writes what a bundle declares, so that a
/// bundle too large for the disk is refused with the figures instead of failing halfway (and so that a
/// small archive declaring gigabytes cannot fill the disk).
///
/// `available` is the seam tests use to pretend a disk is nearly full.
public struct DiskSpace: Sendable {
    /// Bytes an unprivileged process may still write on the file system holding `directory`.
    public var available: @Sendable (_ directory: URL) throws -> UInt64

    public init(available: @escaping @Sendable (_ directory: URL) throws -> UInt64) {
        self.available = available
    }

    /// `statvfs(3)`: free blocks for unprivileged users × fragment size, asked of `directory` or, when it
    /// does not exist yet, of its nearest existing parent.
    public static let system = DiskSpace { directory in
        var url = directory.standardizedFileURL
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" { url.deleteLastPathComponent() }
        var info = statvfs()
        guard statvfs(url.path, &info) == 0 else {
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey: String(cString: strerror(errno)),
                ])
        }
        let (bytes, overflow) = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return overflow ? .max : bytes
    }

    /// Refuses when `needed` bytes do not fit in `directory` (`purpose` says what would be written).
    /// A free space that cannot be read is not a refusal: the write itself will tell.
    public func require(_ needed: UInt64, in directory: URL, for purpose: String) throws(DiskSpaceError) {
        guard needed > 0, let free = try? available(directory) else { return }
        guard needed <= free else {
            throw DiskSpaceError(needed: needed, available: free, directory: directory.path, purpose: purpose)
        }
    }

    /// The sum of `sizes`, saturating (sizes come from files: a sum past 2⁶⁴ means "more than any disk").
    public static func total<S: Sequence>(_ sizes: S) -> UInt64 where S.Element == UInt64 {
        sizes.reduce(UInt64(0)) { total, size in
            let (sum, overflow) = total.addingReportingOverflow(size)
            return overflow ? .max : sum
        }
    }
}

/// Not enough room for what a command would write.
public struct DiskSpaceError: Error, Equatable, Sendable, CustomStringConvertible, LocatedError {
    public var needed: UInt64
    public var available: UInt64
    public var directory: String
    public var purpose: String

    public var problemCode: ProblemCode { .diskInsufficientSpace }
    public var location: ProblemLocation? { ProblemLocation(file: directory) }

    public var description: String {
        "not enough free disk space in \(directory) for \(purpose): \(needed) bytes are needed (\(Self.human(needed))), "
            + "\(available) are available (\(Self.human(available))). Nothing was written: free at least \(needed - min(needed, available)) more bytes there (or choose another place) and run the command again"
    }

    static func human(_ bytes: UInt64) -> String {
        ByteCountFormatter.string(fromByteCount: Int64(clamping: bytes), countStyle: .binary)
    }
}
