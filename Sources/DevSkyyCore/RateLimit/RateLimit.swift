/// A rate as the configuration writes it: `100/min` is 100 requests a minute.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public enum Period: String, Sendable, CaseIterable {
        case second = "s"
        case minute = "min"
        case hour = "h"

        public var milliseconds: Int64 {
            switch self {
            case .second: 1_000
            case .minute: 60_000
            case .hour: 3_600_000
            }
        }
    }

    /// The accepted counts: a limit of zero would shut a route, which is not what a rate limit is for, and past a
    /// million the per-request arithmetic (count × period in ms) stays far from `Int64.max`.
    public static let countRange = 1...1_000_000

    /// Requests allowed per period, and also the burst: that many at once are allowed.
    public let count: Int
    public let period: Period

    /// Nil when `count` is outside `countRange`.
    public init?(count: Int, period: Period) {
        guard Self.countRange.contains(count) else { return nil }
        self.count = count
        self.period = period
    }

    /// `N/s`, `N/min` or `N/h` with N a whole number from 1 to 1,000,000; nil for anything else.
    public static func parse(_ text: String) -> RateLimit? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let unit = Period(rawValue: String(parts[1])),
            parts[0].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let count = Checked.int(parts[0])
        else { return nil }
        return RateLimit(count: count, period: unit)
    }

    public var description: String { "\(count)/\(period.rawValue)" }
}
