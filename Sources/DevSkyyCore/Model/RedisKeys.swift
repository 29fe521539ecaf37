/// The Redis key layout (documented in the README: other tools read these keys).
public struct RedisKeys: Sendable, Equatable {
    public var prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// Raw samples of a series: sorted set, score = unix ms, member = `ms:value`.
    public func series(_ name: String) -> String { "\(prefix):ts:\(name)" }
    /// One resolution of a series: the raw key, or `…:ts:{series}:{1m,1h,1d}` for a rollup, a sorted set with
    /// score = bucket start (unix ms) and member = `start:count:sum:min:max:last:lastMs` (see the README).
    public func series(_ name: String, _ resolution: Resolution) -> String {
        resolution == .raw ? series(name) : "\(prefix):ts:\(name):\(resolution.rawValue)"
    }
    /// The index of series names: set.
    public var seriesIndex: String { "\(prefix):series" }
    /// Last values of a partnership: hash metric → value, TTL = staleness window.
    public func latest(_ partnership: String) -> String { "\(prefix):latest:\(partnership)" }
    /// Current health of a partnership: hash with `label`, `score`, `reasons` and one `state:{metric}` field per
    /// rule (`state|since|value|lastSampleAt`), read back at start so a restart keeps every state.
    public func health(_ partnership: String) -> String { "\(prefix):health:\(partnership)" }

    /// A raw sample's sorted-set member; the timestamp keeps equal values at different times distinct.
    public static func member(timestamp: Int64, value: Double) -> String { "\(timestamp):\(value.compactText)" }
}

extension Double {
    /// The shortest text that reads back as the same value, without a trailing `.0`.
    public var compactText: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}
