/// A storage resolution of a series: the raw samples or one of the rollups.
public enum Resolution: String, Sendable, CaseIterable, Comparable {
    case raw
    case minute = "1m"
    case hour = "1h"
    case day = "1d"

    /// The rollups, finest first.
    public static let rollups: [Resolution] = [.minute, .hour, .day]

    /// Bucket width in milliseconds; buckets start at multiples of it since the Unix epoch (UTC). Nil for raw.
    public var bucketMilliseconds: Int64? {
        switch self {
        case .raw: nil
        case .minute: 60_000
        case .hour: 3_600_000
        case .day: 86_400_000
        }
    }

    /// The start of the bucket holding `timestamp` (unix ms).
    public func bucketStart(_ timestamp: Int64) -> Int64 {
        guard let width = bucketMilliseconds else { return timestamp }
        return Self.alignDown(timestamp, to: width)
    }

    /// The greatest multiple of `width` at or before `time` (also for times before the epoch).
    public static func alignDown(_ time: Int64, to width: Int64) -> Int64 {
        time - ((time % width) + width) % width
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Resolution, b: Resolution) -> Bool { a.order < b.order }
}
