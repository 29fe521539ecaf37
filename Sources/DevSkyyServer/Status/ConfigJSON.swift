import DevSkyyCore
import Foundation

/// The effective configuration as JSON, in the configuration file's own key names, secrets redacted.
enum ConfigJSON {
    static func render(_ config: DaemonConfig) -> [UInt8] {
        let config = config.redacted()
        return JSONText.render([
            "redis": redis(config.redis),
            "listen": [
                "unix": config.listen.unixPath ?? "", "unix_mode": "0" + String(config.listen.unixMode, radix: 8),
                "tcp": config.listen.tcp?.description ?? "", "max_body": config.listen.maxBodyBytes,
                "cors_allowed_origins": config.listen.corsAllowedOrigins,
                "threads": config.listen.threads.map { $0 as Any } ?? "auto",
                "read_timeout": duration(config.listen.readTimeout), "idle_timeout": duration(config.listen.idleTimeout),
                "max_connections": config.listen.maxConnections, "allowed_hosts": config.listen.effectiveAllowedHosts,
            ] as [String: Any],
            "auth": config.auth.map(auth) ?? NSNull(),
            "rate_limits": rateLimits(config.rateLimits),
            "state_dir": config.stateDir,
            "outbox": outbox(config.outbox),
            "collection": [
                "max_in_flight": config.collection.maxInFlight, "backoff_max": duration(config.collection.backoffMax),
            ] as [String: Any],
            "partnerships": config.partnerships.map(partnership),
            "content": config.entities.filter { $0.kind == .content }.map(\.fields),
            "influencers": config.entities.filter { $0.kind == .influencers }.map(\.fields),
            "collectors": config.collectors.map(collector),
            "thresholds": config.thresholds.map(threshold),
            "alerts": alerts(config.alerts),
        ])
    }

    private static func redis(_ redis: RedisSettings) -> [String: Any] {
        [
            // The endpoint's description masks its password a second time.
            "url": redis.endpoint.description, "key_prefix": redis.keyPrefix, "rollups": redis.rollups,
            "retention": [
                "raw": duration(redis.retention.raw), "1m": duration(redis.retention.minute), "1h": duration(redis.retention.hour),
                "1d": duration(redis.retention.day),
            ],
            "connect_timeout": duration(redis.connectTimeout), "command_timeout": duration(redis.commandTimeout),
        ]
    }

    /// Names, roles and settings; the secret and every hash come redacted.
    private static func auth(_ auth: AuthSettings) -> [String: Any] {
        [
            "users": auth.users.map { ["username": $0.username, "password_hash": $0.passwordHash, "role": $0.role.rawValue] },
            "api_keys": auth.apiKeys.map { ["name": $0.name, "key_hash": $0.keyHash, "role": $0.role.rawValue] },
            "clients": auth.clients.map { ["client_id": $0.clientID, "secret_hash": $0.secretHash, "role": $0.role.rawValue] },
            "jwt_secret": auth.jwtSecret ?? NSNull(), "issuer": auth.issuer, "audience": auth.audience,
            "access_ttl": duration(auth.accessTTL), "refresh_ttl": duration(auth.refreshTTL),
            "anonymous": auth.anonymous.map(\.description), "unix_socket": auth.unixSocket.rawValue,
            "allow_anonymous_tcp": auth.allowAnonymousTCP,
        ]
    }

    private static func rateLimits(_ settings: RateLimitSettings) -> [String: Any] {
        var object: [String: Any] = ["shared": settings.shared]
        for endpointClass in RateLimitClass.allCases { object[endpointClass.rawValue] = settings.limit(for: endpointClass).description }
        return object
    }

    private static func outbox(_ outbox: OutboxSettings) -> [String: Any] {
        let fsync: String
        switch outbox.fsync {
        case .always: fsync = "always"
        case .never: fsync = "never"
        case .interval(let interval): fsync = duration(interval)
        }
        return [
            "directory": outbox.directory, "max_size": outbox.maxBytes, "segment_size": outbox.segmentBytes,
            "overflow": outbox.overflow.rawValue, "fsync": fsync,
        ]
    }

    private static func partnership(_ partnership: Partnership) -> [String: Any] {
        [
            "id": partnership.id, "name": partnership.name, "type": partnership.kind.rawValue,
            "key_metric": partnership.keyMetric ?? NSNull(),
            "deliverables": partnership.deliverables.map { ["id": $0.id, "name": $0.name] },
        ]
    }

    private static func collector(_ collector: CollectorConfig) -> [String: Any] {
        var object: [String: Any] = [
            "name": collector.name, "partnership": collector.partnership, "url": collector.url,
            "interval": duration(collector.interval), "timeout": duration(collector.timeout), "format": collector.format.rawValue,
            "method": collector.method, "headers": collector.headers, "max_body": collector.maxBodyBytes,
            "max_series": collector.maxSeries, "labels": collector.labels, "tls_skip_verify": collector.tls.skipVerify,
            "metrics": collector.metrics.map { metric -> [String: Any] in
                [
                    "name": metric.name, "path": metric.path, "unit": metric.unit ?? NSNull(), "scale": metric.scale,
                    "key_labels": metric.keyLabels, "labels": metric.labelPaths,
                ]
            },
        ]
        if let body = collector.body { object["body"] = body }
        if let proxy = collector.proxy { object["proxy"] = proxy }
        if let caFile = collector.tls.caFile { object["ca_file"] = caFile }
        if collector.format == .prometheus {
            object["allow"] = ["metrics": collector.allowlist.metrics, "labels": collector.allowlist.labels]
        }
        switch collector.auth {
        case .none: break
        case .bearer(let token): object["bearer_token"] = token
        case .basic(let username, let password): object["basic_auth"] = ["username": username, "password": password]
        case .oauth2(let settings):
            object["oauth2"] =
                [
                    "token_url": settings.tokenURL, "client_id": settings.clientID, "client_secret": settings.clientSecret,
                    "scopes": settings.scopes,
                ] as [String: Any]
        }
        if let pagination = collector.pagination {
            switch pagination.next {
            case .linkHeader:
                object["pagination"] = ["next": "link", "max_pages": pagination.maxPages] as [String: Any]
            case .cursor(let path, let parameter):
                object["pagination"] =
                    ["next": "cursor", "cursor_path": path, "cursor_param": parameter, "max_pages": pagination.maxPages] as [String: Any]
            }
        }
        return object
    }

    private static func threshold(_ rule: ThresholdRule) -> [String: Any] {
        func bounds(_ bounds: ThresholdRule.Bounds?) -> Any {
            guard let bounds else { return NSNull() }
            var object: [String: Any] = [:]
            if let above = bounds.above { object["above"] = above }
            if let below = bounds.below { object["below"] = below }
            if let clear = bounds.clear { object["clear"] = clear }
            return object
        }
        return [
            "partnership": rule.partnership, "metric": rule.metric, "warning": bounds(rule.warning), "critical": bounds(rule.critical),
            "for": duration(rule.forDuration), "hits": rule.hits, "keep_firing_for": duration(rule.keepFiringFor),
            "missing_after": duration(rule.missingAfter), "missing_state": rule.missingState.rawValue, "weight": rule.weight,
        ]
    }

    private static func alerts(_ alerts: AlertSettings) -> [String: Any] {
        var object: [String: Any] = [
            "delay": duration(alerts.delay), "repeat_interval": duration(alerts.repeatInterval),
            "resend_interval": duration(alerts.resendInterval),
        ]
        if let webhook = alerts.webhook {
            object["webhook"] =
                ["url": webhook.url, "headers": webhook.headers, "timeout": duration(webhook.timeout), "retries": webhook.retries]
                as [String: Any]
        }
        if let manager = alerts.alertmanager {
            object["alertmanager"] = ["url": manager.url, "timeout": duration(manager.timeout)]
        }
        return object
    }

    private static func duration(_ duration: Duration) -> String { DurationParser.format(duration) }
}
