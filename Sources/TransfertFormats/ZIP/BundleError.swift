import Foundation
import TransfertModel

public enum BundleError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileChanged(String)
    /// Writing the bundle failed (the disk is full, a size limit was reached…): the system's reason.
    case cannotWrite(String, reason: String)

    public var description: String {
        switch self {
        case .fileChanged(let path): return "\(path) changed while it was being exported: run the export again"
        case .cannotWrite(let path, let reason):
            return
                "cannot write \(path): \(reason). Free some space (or raise the limit), or choose another --out directory, and export again"
        }
    }

    /// The POSIX reason inside a Foundation file error ("No space left on device", "File too large").
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}

extension BundleError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .fileChanged: return .bundleFileChanged
        case .cannotWrite: return .bundleCannotWrite
        }
    }
}
