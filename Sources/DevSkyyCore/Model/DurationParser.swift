/// Durations as written in the configuration file: `500ms`, `10s`, `5m`, `1h`, `7d`.
public enum DurationParser {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The longest duration read, in ms (a thousand years): anything longer is refused, so that sums and
    /// differences of durations and unix times never overflow.
    public static let longest: Int64 = 1_000 * 365 * 86_400_000

    /// Parses a duration, or returns nil when the text is not one or is longer than `longest`.
    public static func parse(_ text: String) -> Duration? {
        // "ms" must be tried before "m" and "s".
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int64(number), value >= 0 else {
                return nil
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit.milliseconds)
            return overflow || product > longest ? nil : .milliseconds(product)
        }
        return nil
    }

    /// Formats a duration back into the largest whole unit.
    public static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        for unit in units.reversed() where ms != 0 && ms % unit.milliseconds == 0 {
            return "\(ms / unit.milliseconds)\(unit.suffix)"
        }
        return "\(ms)ms"
    }
}

extension Duration {
    /// Whole milliseconds, rounded down; held at `Int64.max` / `.min` for durations beyond them.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return Checked.adding(Checked.multiplying(seconds, 1_000), attoseconds / 1_000_000_000_000_000)
    }

    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
