/// The whole daemon configuration, validated. Built only by `ConfigDecoder`.
public struct DaemonConfig: Sendable, Equatable {
    public var redis: RedisSettings
    public var listen: ListenSettings
    public var stateDir: String
    /// Where batches wait while Redis is away; its directory is `{state_dir}/outbox`.
    public var outbox = OutboxSettings(directory: "/var/lib/devskyy/outbox")
    public var collection = CollectionSettings()
    public var partnerships: [Partnership]
    /// Content pieces and influencers, for `for_each` collectors.
    public var entities: [Entity] = []
    public var collectors: [CollectorConfig]
    public var thresholds: [ThresholdRule]
    /// Where metric alerts go; without a notifier nothing is sent.
    public var alerts = AlertSettings()
    /// Identities, tokens and the routes open without them; nil when the file has no `auth:` section.
    public var auth: AuthSettings?
    /// Requests allowed per identity and endpoint class.
    public var rateLimits = RateLimitSettings()

    public init(
        redis: RedisSettings = .init(),
        listen: ListenSettings = .init(),
        stateDir: String = "/var/lib/devskyy",
        partnerships: [Partnership] = [],
        collectors: [CollectorConfig] = [],
        thresholds: [ThresholdRule] = []
    ) {
        self.redis = redis
        self.listen = listen
        self.stateDir = stateDir
        self.partnerships = partnerships
        self.collectors = collectors
        self.thresholds = thresholds
    }

    /// How long each partnership's latest values stay meaningful: three of its slowest collector's intervals
    /// (one minute for a partnership no collector feeds).
    public func stalenessWindows() -> [String: Duration] {
        var slowest: [String: Duration] = [:]
        for collector in collectors { slowest[collector.partnership] = max(slowest[collector.partnership] ?? .zero, collector.interval) }
        return Dictionary(uniqueKeysWithValues: partnerships.map { ($0.id, (slowest[$0.id] ?? .seconds(20)) * 3) })
    }
}

public struct RedisSettings: Sendable, Equatable {
    public var endpoint: RedisEndpoint
    public var keyPrefix: String
    /// How long raw samples and each rollup are kept.
    public var retention: RetentionSettings
    /// Whether the 1m, 1h and 1d rollups are kept up to date on write.
    public var rollups: Bool
    public var connectTimeout: Duration
    public var commandTimeout: Duration

    public init(
        endpoint: RedisEndpoint = .tcp(host: "127.0.0.1", port: 6379, db: 0, username: nil, password: nil),
        keyPrefix: String = "devskyy",
        retention: RetentionSettings = .init(),
        rollups: Bool = true,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2)
    ) {
        self.endpoint = endpoint
        self.keyPrefix = keyPrefix
        self.retention = retention
        self.rollups = rollups
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}

public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port`; port 0 asks the system for a free one.
    public static func parse(_ text: String) -> HostPort? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        return HostPort(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Limits that apply to all collectors together.
public struct CollectionSettings: Sendable, Equatable {
    /// Fetches in flight at once, across all collectors.
    public var maxInFlight: Int = 64
    /// The longest a failing collector waits between attempts.
    public var backoffMax: Duration = .seconds(300)

    public init() {}
}
