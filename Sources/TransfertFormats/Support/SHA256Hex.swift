import Crypto
import Foundation
import TransfertModel

/// SHA-256 in lower-case hexadecimal, of bytes or of a file read in 1 MiB pieces (memory stays flat
/// whatever the file's size).
package enum SHA256Hex {
    package static func of(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }

    package static func ofFile(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().hexString
    }
}
