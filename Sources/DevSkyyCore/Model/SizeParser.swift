/// Sizes as written in the configuration file: `4096`, `512KiB`, `16MiB`, `1GiB` (also `KB`, `MB`, `GB`).
public enum SizeParser {
    private static let units: [(suffix: String, bytes: Int)] = [
        ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
    ]

    public static func parse(_ text: String) -> Int? {
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Int(text.dropLast(unit.suffix.count)), value > 0 else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit.bytes)
            return overflow ? nil : product
        }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
