/// A size as people read it: `812 B`, `4.2 KiB`, `1.3 GiB` (binary units, as `df -h` and the CLI show).
enum ShownByteSize {
    static func text(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes)
        for unit in ["KiB", "MiB", "GiB", "TiB"] {
            value /= 1024
            if value < 1024 || unit == "TiB" { return String(format: "%.1f %@", value, unit) }
        }
        return "\(bytes) B"
    }
}
