/// How long each resolution of a series is kept: raw samples and the 1m, 1h and 1d rollups.
public struct RetentionSettings: Sendable, Equatable {
    public var raw: Duration
    public var minute: Duration
    public var hour: Duration
    public var day: Duration

    public init(
        raw: Duration = .seconds(2 * 86_400), minute: Duration = .seconds(14 * 86_400),
        hour: Duration = .seconds(90 * 86_400), day: Duration = .seconds(2 * 365 * 86_400)
    ) {
        self.raw = raw
        self.minute = minute
        self.hour = hour
        self.day = day
    }

    public func retention(of resolution: Resolution) -> Duration {
        switch resolution {
        case .raw: raw
        case .minute: minute
        case .hour: hour
        case .day: day
        }
    }
}
