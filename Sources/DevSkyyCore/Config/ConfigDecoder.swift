import Foundation

/// Builds a validated `DaemonConfig` from a configuration tree, reporting every problem at once.
public struct ConfigDecoder: Sendable {
    public var file: String
    /// The environment used for `${VAR}` expansion and `DEVSKYY_REDIS_URL`.
    public var environment: [String: String]
    /// Reads the secret files named by `*_file` options; nil when a file cannot be read.
    public var readFile: @Sendable (String) -> String?

    public init(file: String, environment: [String: String], readFile: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.file = file
        self.environment = environment
        self.readFile = readFile
    }

    public func decode(_ root: ConfigNode) throws(ConfigError) -> DaemonConfig {
        let log = IssueLog(file: file, environment: environment)
        var config = DaemonConfig()
        if let top = ConfigMapping(root, path: "config", log: log) {
            top.allowOnly([
                "redis", "listen", "state_dir", "outbox", "collection", "partnerships", "content", "influencers", "collectors",
                "thresholds", "alerts", "auth", "rate_limits",
            ])
            if let redis = top.mapping("redis") { config.redis = decodeRedis(redis) }
            if let listen = top.mapping("listen") { config.listen = decodeListen(listen) }
            if let stateDir = top.string("state_dir") { config.stateDir = stateDir }
            config.outbox.directory = config.stateDir.hasSuffix("/") ? config.stateDir + "outbox" : config.stateDir + "/outbox"
            if let outbox = top.mapping("outbox") { config.outbox = decodeOutbox(outbox, base: config.outbox) }
            if let collection = top.mapping("collection") { config.collection = decodeCollection(collection) }
            if let alerts = top.mapping("alerts") { config.alerts = decodeAlerts(alerts) }
            if let auth = top.mapping("auth") { config.auth = decodeAuth(auth) }
            if let rateLimits = top.mapping("rate_limits") { config.rateLimits = decodeRateLimits(rateLimits) }
            checkOpenTCP(config, top: top)
            config.partnerships = decodePartnerships(top)
            config.entities = decodeEntities(top)
            var incomplete: Set<String> = []
            config.collectors = decodeCollectors(
                top, partnerships: config.partnerships, entities: config.entities, incomplete: &incomplete)
            config.thresholds = decodeThresholds(
                top, partnerships: config.partnerships, collectors: config.collectors, incomplete: incomplete)
        }
        if let url = environment["DEVSKYY_REDIS_URL"] {
            switch RedisEndpoint.parse(url) {
            case .success(let endpoint): config.redis.endpoint = endpoint
            case .failure(let error):
                log.add(0, "environment DEVSKYY_REDIS_URL: bad Redis URL: \(error.reason)")
            }
        }
        guard log.issues.isEmpty else { throw ConfigError(issues: log.issues) }
        return config
    }

    private func decodeRedis(_ map: ConfigMapping) -> RedisSettings {
        map.allowOnly(["url", "key_prefix", "raw_retention", "retention", "rollups", "connect_timeout", "command_timeout"])
        var settings = RedisSettings()
        if let url = map.string("url"), environment["DEVSKYY_REDIS_URL"] == nil {
            switch RedisEndpoint.parse(url) {
            case .success(let endpoint): settings.endpoint = endpoint
            case .failure(let error): map.log.add(map.line(of: "url"), "redis.url: bad Redis URL: \(error.reason)")
            }
        }
        if let prefix = map.string("key_prefix") {
            if prefix.isEmpty || prefix.contains(where: { $0 == " " || $0 == ":" }) {
                map.log.add(map.line(of: "key_prefix"), "redis.key_prefix: must be non-empty, without spaces or ':'")
            } else {
                settings.keyPrefix = prefix
            }
        }
        settings.retention.raw = positive(map, "raw_retention") ?? settings.retention.raw
        if let retention = map.mapping("retention") { settings.retention = decodeRetention(retention, base: settings.retention) }
        settings.rollups = flag(map, "rollups") ?? settings.rollups
        settings.connectTimeout = positive(map, "connect_timeout") ?? settings.connectTimeout
        settings.commandTimeout = positive(map, "command_timeout") ?? settings.commandTimeout
        return settings
    }

    private func decodePartnerships(_ top: ConfigMapping) -> [Partnership] {
        var result: [Partnership] = []
        for (i, node) in top.list("partnerships").enumerated() {
            guard let map = ConfigMapping(node, path: "partnerships[\(i)]", log: top.log) else { continue }
            map.allowOnly(["id", "name", "type", "key_metric", "deliverables"])
            guard let id = identifier(map, "id") else { continue }
            if result.contains(where: { $0.id == id }) {
                map.log.add(map.line(of: "id"), "\(map.path).id: partnership '\(id)' is declared twice")
            }
            var kind = Partnership.Kind.technical
            if let type = map.required("type") {
                if let parsed = Partnership.Kind(rawValue: type) {
                    kind = parsed
                } else {
                    let known = Partnership.Kind.allCases.map(\.rawValue).joined(separator: " | ")
                    map.log.add(map.line(of: "type"), "\(map.path).type: unknown type '\(type)' (expected \(known))")
                }
            }
            var deliverables: [Partnership.Deliverable] = []
            for (j, item) in map.list("deliverables").enumerated() {
                guard let d = ConfigMapping(item, path: "\(map.path).deliverables[\(j)]", log: map.log) else { continue }
                d.allowOnly(["id", "name"])
                if let did = identifier(d, "id") {
                    deliverables.append(.init(id: did, name: d.string("name") ?? did))
                }
            }
            result.append(
                Partnership(
                    id: id, name: map.string("name") ?? id, kind: kind,
                    keyMetric: map.string("key_metric"), deliverables: deliverables
                )
            )
        }
        return result
    }

    /// `outbox: { max_size: 256MiB, segment_size: 4MiB, overflow: drop_oldest, fsync: 1s }`; fsync is `always`,
    /// `never` or an interval.
    private func decodeOutbox(_ map: ConfigMapping, base: OutboxSettings) -> OutboxSettings {
        map.allowOnly(["max_size", "segment_size", "overflow", "fsync"])
        var settings = base
        for (key, path) in [("max_size", \OutboxSettings.maxBytes), ("segment_size", \OutboxSettings.segmentBytes)] {
            guard let text = map.string(key) else { continue }
            if let size = SizeParser.parse(text), size >= 4_096 {
                settings[keyPath: path] = size
            } else {
                map.log.add(map.line(of: key), "\(map.child(key)): bad size '\(text)' (use 64MiB, 1GiB or bytes; at least 4KiB)")
            }
        }
        if settings.segmentBytes > settings.maxBytes {
            map.log.add(map.line(of: "segment_size"), "\(map.child("segment_size")): larger than max_size")
        }
        if let text = map.string("overflow") {
            if let policy = OutboxSettings.OverflowPolicy(rawValue: text) {
                settings.overflow = policy
            } else {
                let known = OutboxSettings.OverflowPolicy.allCases.map(\.rawValue).joined(separator: ", ")
                map.log.add(map.line(of: "overflow"), "\(map.child("overflow")): unknown policy '\(text)' (known: \(known))")
            }
        }
        if let text = map.string("fsync") {
            if let policy = OutboxSettings.FsyncPolicy.parse(text) {
                settings.fsync = policy
            } else {
                map.log.add(
                    map.line(of: "fsync"), "\(map.child("fsync")): expected always, never or an interval such as 1s, found '\(text)'")
            }
        }
        return settings
    }

    /// `retention: { raw: 2d, 1m: 14d, 1h: 90d, 1d: 730d }`; each coarser resolution must be kept at least as long.
    private func decodeRetention(_ map: ConfigMapping, base: RetentionSettings) -> RetentionSettings {
        map.allowOnly(Resolution.allCases.map(\.rawValue))
        var settings = base
        settings.raw = positive(map, "raw") ?? settings.raw
        settings.minute = positive(map, "1m") ?? settings.minute
        settings.hour = positive(map, "1h") ?? settings.hour
        settings.day = positive(map, "1d") ?? settings.day
        for (finer, coarser) in zip(Resolution.allCases, Resolution.allCases.dropFirst())
        where settings.retention(of: coarser) < settings.retention(of: finer) {
            map.log.add(
                map.line(of: coarser.rawValue),
                "\(map.child(coarser.rawValue)): must be at least \(finer.rawValue)'s retention "
                    + "(\(DurationParser.format(settings.retention(of: finer)))): rollups are rebuilt from the finer data"
            )
        }
        return settings
    }

    func positive(_ map: ConfigMapping, _ key: String) -> Duration? {
        guard let duration = map.duration(key) else { return nil }
        guard duration > .zero else {
            map.log.add(map.line(of: key), "\(map.child(key)): must be longer than zero")
            return nil
        }
        return duration
    }

    /// Ids and names end up in Redis keys and URLs: letters, digits, '_' and '-' only.
    func identifier(_ map: ConfigMapping, _ key: String) -> String? {
        guard let text = map.required(key) else { return nil }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            map.log.add(map.line(of: key), "\(map.child(key)): '\(text)' may hold only letters, digits, '_' and '-'")
            return nil
        }
        return text
    }

    /// Metric names become Prometheus names: `[a-zA-Z_][a-zA-Z0-9_]*`.
    func metricName(_ map: ConfigMapping) -> String? {
        guard let text = map.required("name") else { return nil }
        guard LabelMatcher.isLabelName(text[...]) else {
            map.log.add(map.line(of: "name"), "\(map.child("name")): '\(text)' must match [a-zA-Z_][a-zA-Z0-9_]*")
            return nil
        }
        return text
    }

    static func urlProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            return "not a URL"
        }
        switch scheme {
        case "http", "https":
            return (url.host ?? "").isEmpty ? "no host" : nil
        case "file":
            return url.path.isEmpty ? "no path" : nil
        default:
            return "scheme '\(scheme)' is not supported (use http, https or file)"
        }
    }
}
