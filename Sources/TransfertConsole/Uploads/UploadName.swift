/// File names that come from a browser or a URL: a plain name (letters, digits, accents, spaces, `.`,
/// `_`, `-`, `(`, `)`, `+`), never a path, never hidden, never `..`.
public enum UploadName {
    public static func isPlain(_ name: String) -> Bool {
        guard (1...200).contains(name.count), !name.hasPrefix("."), name != "..", !name.hasSuffix(" ") else {
            return false
        }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "._- ()+,'@".unicodeScalars.contains(scalar)
        }
    }
}
