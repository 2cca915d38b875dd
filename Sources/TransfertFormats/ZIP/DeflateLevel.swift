/// How hard libdeflate works on the export's SQL chunks: 1 (fastest) to 12 (smallest).
///
/// Level 1 is the default since issue #29. Measured on the sample establishments of 2,000 and 20,000
/// students (their own 2 MiB chunks, each level in turn), level 1 deflates five to eight times faster
/// than level 6, for a ZIP 1.10× the size of `sqlite3 .dump | gzip -6` (level 6: 0.85×), within the
/// export's size target (≤ 1.2×); levels 2–4 cost 1.5 to 4 times level 1 for 3–5 % less, levels 5 and 6
/// four to eight times for 21–22 % less. Deflating was a third of the export's CPU at level 6.
/// A bundle that travels over a slow link can take a higher level (`export --compression-level 6`): the
/// reader inflates every level alike.
public struct DeflateLevel: Sendable, Equatable, CustomStringConvertible {
    /// libdeflate's own range (0, stored blocks, is not offered: a ZIP can store entries itself).
    public static let range: ClosedRange<Int> = 1...12
    /// What the export uses unless told otherwise.
    public static let standard = DeflateLevel(validated: 1)

    public let value: Int

    /// `nil` outside ``range``.
    public init?(_ value: Int) {
        guard Self.range.contains(value) else { return nil }
        self.value = value
    }

    private init(validated value: Int) { self.value = value }

    public var description: String { String(value) }
}
