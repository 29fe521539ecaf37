extension DaemonConfig {
    /// What replaces a secret in a redacted configuration: the one URLs get too.
    public static let redactedMarker = URLRedaction.marker

    /// The configuration with every place that can hold a secret masked, for `GET /api/v1/orchestration/config`.
    ///
    /// Masking goes by structure, not by name or value: `${VAR}` has been expanded by now, so any header value,
    /// credential field, request body, URL user info or query value may hold a secret, and all of them are masked.
    public func redacted() -> DaemonConfig {
        var copy = self
        copy.redis.endpoint = redis.endpoint.redacted()
        copy.collectors = collectors.map { $0.redacted() }
        if var webhook = alerts.webhook {
            // Webhook paths often are the token (Slack, Teams): only scheme and host stay.
            webhook.url = URLRedaction.origin(webhook.url)
            webhook.headers = webhook.headers.mapValues { _ in Self.redactedMarker }
            copy.alerts.webhook = webhook
        }
        if var manager = alerts.alertmanager {
            manager.url = URLRedaction.redacted(manager.url)
            copy.alerts.alertmanager = manager
        }
        copy.auth = auth?.redacted()
        // A `for_each` collector's headers are filled from entity fields, so a field can be a token itself.
        let secrets = collectorSecretValues()
        copy.entities = entities.map { entity in
            var masked = entity
            for (key, value) in entity.fields where key != "id" && !value.isEmpty && secrets.contains(where: { $0.contains(value) }) {
                masked.fields[key] = Self.redactedMarker
            }
            return masked
        }
        return copy
    }

    /// Every secret value the configuration holds: the Redis password, what `redacted()` masks in the collectors, and
    /// the JWT secret and credential hashes of `auth:`. No log line or answer may contain one of them.
    public func secretValues() -> [String] {
        var values = collectorSecretValues()
        switch redis.endpoint {
        case .tcp(_, _, _, _, let password?), .unix(_, _, _, let password?): values.append(password)
        default: break
        }
        if let auth {
            values += auth.jwtSecret.map { [$0] } ?? []
            values += auth.users.map(\.passwordHash) + auth.apiKeys.map(\.keyHash) + auth.clients.map(\.secretHash)
        }
        return values
    }

    /// What `redacted()` masks in the collectors: the only secrets an entity field can be copied into (by
    /// `for_each`), and so the only ones entity fields are compared with (a short field would be found inside a
    /// 60-character hash by chance).
    private func collectorSecretValues() -> [String] {
        var values: [String] = []
        for collector in collectors {
            values += collector.headers.values
            if let body = collector.body { values.append(body) }
            switch collector.auth {
            case .none: break
            case .bearer(let token): values.append(token)
            case .basic(_, let password): values.append(password)
            case .oauth2(let settings): values.append(settings.clientSecret)
            }
        }
        return values
    }
}

extension RedisEndpoint {
    /// The endpoint with its password masked (the user name stays: ACL users are not secret).
    func redacted() -> RedisEndpoint {
        switch self {
        case .tcp(let host, let port, let db, let user, let password):
            .tcp(host: host, port: port, db: db, username: user, password: password.map { _ in DaemonConfig.redactedMarker })
        case .unix(let path, let db, let user, let password):
            .unix(path: path, db: db, username: user, password: password.map { _ in DaemonConfig.redactedMarker })
        }
    }
}

extension AuthSettings {
    /// The settings with the JWT secret and every hash masked; names and roles stay.
    func redacted() -> AuthSettings {
        let marker = DaemonConfig.redactedMarker
        var copy = self
        copy.jwtSecret = jwtSecret.map { _ in marker }
        copy.users = users.map { .init(username: $0.username, passwordHash: marker, role: $0.role) }
        copy.apiKeys = apiKeys.map { .init(name: $0.name, keyHash: marker, role: $0.role) }
        copy.clients = clients.map { .init(clientID: $0.clientID, secretHash: marker, role: $0.role) }
        return copy
    }
}

extension CollectorConfig {
    func redacted() -> CollectorConfig {
        let marker = DaemonConfig.redactedMarker
        var copy = self
        copy.url = URLRedaction.redacted(url)
        copy.proxy = proxy.map(URLRedaction.redacted)
        copy.headers = headers.mapValues { _ in marker }
        // A POST body is where GraphQL sources and the like carry their keys.
        copy.body = body.map { _ in marker }
        switch auth {
        case .none:
            break
        case .bearer:
            copy.auth = .bearer(token: marker)
        case .basic(let username, _):
            copy.auth = .basic(username: username, password: marker)
        case .oauth2(var settings):
            settings.clientSecret = marker
            settings.tokenURL = URLRedaction.redacted(settings.tokenURL)
            copy.auth = .oauth2(settings)
        }
        return copy
    }
}
