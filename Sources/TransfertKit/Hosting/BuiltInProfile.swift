import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The application profile `init` uses when none is named: the school profile, compiled into the binary
/// (SwiftPM `embedInCode`) so that `init` finds it wherever the binary is run from or installed.
/// Its one source is `Sources/TransfertKit/Resources/school-profile.yaml`; `Samples/school-profile.yaml`
/// is a link to it.
public enum BuiltInProfile {
    /// How errors and `init` name it.
    public static let name = "the built-in school profile (Samples/school-profile.yaml)"

    /// The YAML text, byte for byte the file's.
    public static var text: String { String(decoding: Data(PackageResources.school_profile_yaml), as: UTF8.self) }
}
