import Foundation

extension ConfigDecoder {
    static let collectorKeys = [
        "name", "partnership", "url", "interval", "timeout", "format", "method", "body", "headers", "bearer_token",
        "bearer_token_file", "basic_auth", "oauth2", "tls_skip_verify", "ca_file", "proxy", "max_body", "pagination",
        "max_series", "metrics", "allow", "labels", "for_each",
    ]

    func decodeCollection(_ map: ConfigMapping) -> CollectionSettings {
        map.allowOnly(["max_in_flight", "backoff_max"])
        var settings = CollectionSettings()
        if let n = count(map, "max_in_flight") { settings.maxInFlight = n }
        settings.backoffMax = positive(map, "backoff_max") ?? settings.backoffMax
        return settings
    }

    /// - Parameter incomplete: gets `metricsNamed(by:)` of every collector with errors of its own, so that
    ///   thresholds on its metrics are not reported again as defined by no collector.
    func decodeCollectors(
        _ top: ConfigMapping, partnerships: [Partnership], entities: [Entity], incomplete: inout Set<String>
    ) -> [CollectorConfig] {
        var result: [CollectorConfig] = []
        for (i, node) in top.list("collectors").enumerated() {
            guard let map = ConfigMapping(node, path: "collectors[\(i)]", log: top.log) else { continue }
            map.allowOnly(Self.collectorKeys)
            let issuesBefore = map.log.issues.count
            defer {
                if map.log.issues.count > issuesBefore { incomplete.formUnion(Self.metricsNamed(by: map.node)) }
            }
            guard let collector = decodeCollector(map, partnerships: partnerships) else { continue }
            var expanded = [collector]
            if let kindText = map.string("for_each") {
                guard let kind = Entity.Kind(rawValue: kindText) else {
                    map.log.add(map.line(of: "for_each"), "\(map.path).for_each: expected content or influencers, found '\(kindText)'")
                    continue
                }
                expanded = entities.filter { $0.kind == kind }.compactMap { expand(collector, for: $0, map: map) }
            } else {
                expanded = [collector].compactMap { expand($0, for: nil, map: map) }
            }
            for collector in expanded {
                if result.contains(where: { $0.name == collector.name }) {
                    map.log.add(map.line(of: "name"), "\(map.path).name: collector '\(collector.name)' is declared twice")
                }
                result.append(collector)
            }
        }
        return result
    }

    /// The metrics a collector entry names as written (`partnership/metric`), read without expansion or
    /// logging; `partnership/*` for a prometheus collector without an allowlist, which may produce any.
    static func metricsNamed(by node: ConfigNode) -> Set<String> {
        guard let partnership = node.scalar("partnership") else { return [] }
        guard case .mapping(let entries) = node.value else { return [] }
        var names: [String] = []
        for entry in entries where entry.key == "metrics" || entry.key == "allow" {
            guard case .sequence(let items) = entry.value.value else { continue }
            names += items.compactMap { item in
                if case .scalar(let text) = item.value { return text }
                return item.scalar("name")
            }
        }
        if node.scalar("format") == "prometheus" && !entries.contains(where: { $0.key == "allow" }) { names.append("*") }
        return Set(names.map { "\(partnership)/\($0)" })
    }

    private func decodeCollector(_ map: ConfigMapping, partnerships: [Partnership]) -> CollectorConfig? {
        let name = identifier(map, "name")
        let partnership = map.required("partnership")
        if let partnership, !partnerships.contains(where: { $0.id == partnership }) {
            map.log.add(map.line(of: "partnership"), "\(map.path).partnership: unknown partnership '\(partnership)'")
        }
        let url = map.required("url")
        // A templated URL is checked once expanded.
        if let url, !url.contains("{"), let problem = Self.urlProblem(url) {
            map.log.add(map.line(of: "url"), "\(map.path).url: bad URL: \(problem)")
        }
        let interval = positive(map, "interval") ?? .seconds(30)
        let timeout = positive(map, "timeout") ?? min(.seconds(5), interval / 2)
        if timeout >= interval {
            map.log.add(
                map.line(of: "timeout"), "\(map.path).timeout: must be shorter than the interval (\(DurationParser.format(interval)))")
        }
        var format = CollectorConfig.Format.json
        if let text = map.string("format") {
            if let parsed = CollectorConfig.Format(rawValue: text) {
                format = parsed
            } else {
                map.log.add(map.line(of: "format"), "\(map.path).format: unsupported format '\(text)' (expected json or prometheus)")
            }
        }
        let metrics = format == .json ? decodeMetrics(map) : []
        if format == .prometheus && map["metrics"] != nil {
            map.log.add(map.line(of: "metrics"), "\(map.path).metrics: a prometheus collector takes 'allow', not 'metrics'")
        }
        guard let name, let partnership, let url else { return nil }
        var collector = CollectorConfig(
            name: name, partnership: partnership, url: url, interval: interval, timeout: timeout,
            format: format, headers: headers(map), metrics: metrics
        )
        if let method = map.string("method") {
            let known = ["GET", "POST", "PUT", "PATCH"]
            if known.contains(method.uppercased()) {
                collector.method = method.uppercased()
            } else {
                map.log.add(map.line(of: "method"), "\(map.path).method: expected one of \(known.joined(separator: ", "))")
            }
        }
        collector.body = map.string("body")
        collector.auth = decodeAuth(map)
        collector.tls = TLSSettings(caFile: map.string("ca_file"), skipVerify: flag(map, "tls_skip_verify") ?? false)
        collector.proxy = map.string("proxy")
        if let text = map.string("max_body") {
            if let size = SizeParser.parse(text) {
                collector.maxBodyBytes = size
            } else {
                map.log.add(map.line(of: "max_body"), "\(map.path).max_body: bad size '\(text)' (use 512KiB, 16MiB or bytes)")
            }
        }
        if let pages = map.mapping("pagination") { collector.pagination = decodePagination(pages) }
        if let limit = count(map, "max_series") { collector.maxSeries = limit }
        if let allow = map.mapping("allow") {
            allow.allowOnly(["metrics", "labels"])
            collector.allowlist = PrometheusAllowlist(metrics: names(allow, "metrics"), labels: names(allow, "labels"))
            if format != .prometheus { map.log.add(allow.node.line, "\(map.path).allow: only for format: prometheus") }
        }
        collector.labels = map.stringMap("labels")
        return collector
    }

    private func decodeAuth(_ map: ConfigMapping) -> CollectorAuth {
        var found: [CollectorAuth] = []
        if let token = secret(map, "bearer_token") {
            // Sent as `Authorization: Bearer …`: the same rule as any header value.
            if let problem = HeaderField.problem(name: "Authorization", value: token) {
                let key = map["bearer_token"] != nil ? "bearer_token" : "bearer_token_file"
                map.log.add(map.line(of: key), "\(map.child(key)): \(problem)")
            } else {
                found.append(.bearer(token: token))
            }
        }
        if let basic = map.mapping("basic_auth") {
            basic.allowOnly(["username", "password", "password_file"])
            if let user = basic.required("username") { found.append(.basic(username: user, password: secret(basic, "password") ?? "")) }
        }
        if let oauth = map.mapping("oauth2") {
            oauth.allowOnly(["token_url", "client_id", "client_secret", "client_secret_file", "scopes"])
            let tokenURL = oauth.required("token_url")
            if let tokenURL, let problem = Self.urlProblem(tokenURL) {
                oauth.log.add(oauth.line(of: "token_url"), "\(oauth.path).token_url: bad URL: \(problem)")
            }
            let clientID = oauth.required("client_id")
            let clientSecret = secret(oauth, "client_secret")
            if clientSecret == nil { oauth.log.add(oauth.node.line, "\(oauth.path): give client_secret or client_secret_file") }
            if let tokenURL, let clientID, let clientSecret {
                found.append(
                    .oauth2(.init(tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, scopes: names(oauth, "scopes"))))
            }
        }
        if found.count > 1 {
            map.log.add(map.node.line, "\(map.path): give only one of bearer_token(_file), basic_auth and oauth2")
        }
        return found.first ?? .none
    }

    /// The `headers` mapping, each field checked as `HeaderField` says; a refused field is left out.
    func headers(_ map: ConfigMapping) -> [String: String] {
        map.stringMap("headers") { name, value in HeaderField.problem(name: name, value: value) }
    }

    /// A secret given inline (`key`, usually `${VAR}`) or read from `key_file`, trailing newline trimmed.
    func secret(_ map: ConfigMapping, _ key: String) -> String? {
        if let inline = map.string(key) { return inline }
        guard let path = map.string("\(key)_file") else { return nil }
        guard let text = readFile(path) else {
            map.log.add(map.line(of: "\(key)_file"), "\(map.child("\(key)_file")): cannot read \(path)")
            return nil
        }
        return text.trimmingCharacters(in: .newlines)
    }

    private func decodePagination(_ map: ConfigMapping) -> Pagination? {
        map.allowOnly(["next", "cursor_path", "cursor_param", "max_pages"])
        let maxPages = count(map, "max_pages") ?? 10
        switch map.required("next") {
        case "link"?:
            return Pagination(next: .linkHeader, maxPages: maxPages)
        case "cursor"?:
            guard let path = map.required("cursor_path") else { return nil }
            return Pagination(next: .cursor(path: path, parameter: map.string("cursor_param") ?? "cursor"), maxPages: maxPages)
        case let other?:
            map.log.add(map.line(of: "next"), "\(map.path).next: expected link or cursor, found '\(other)'")
            return nil
        case nil:
            return nil
        }
    }

    func decodeMetrics(_ collector: ConfigMapping) -> [MetricSpec] {
        let nodes = collector.list("metrics")
        if nodes.isEmpty { collector.log.add(collector.line(of: "metrics"), "\(collector.path).metrics: at least one metric is needed") }
        var result: [MetricSpec] = []
        for (i, node) in nodes.enumerated() {
            guard let map = ConfigMapping(node, path: "\(collector.path).metrics[\(i)]", log: collector.log) else { continue }
            map.allowOnly(["name", "path", "unit", "scale", "key_labels", "labels"])
            let name = metricName(map)
            if let name, result.contains(where: { $0.name == name }) {
                map.log.add(map.line(of: "name"), "\(map.path).name: metric '\(name)' is declared twice in this collector")
            }
            var path: JSONPath?
            if let text = map.required("path") {
                switch JSONPath.parse(text) {
                case .success(let parsed): path = parsed
                case .failure(let error): map.log.add(map.line(of: "path"), "\(map.path).path: bad path: \(error.reason)")
                }
            }
            let keyLabels = names(map, "key_labels")
            if let path, keyLabels.count != path.wildcardCount {
                map.log.add(
                    map.line(of: "key_labels"),
                    "\(map.path).key_labels: the path has \(path.wildcardCount) '*' but \(keyLabels.count) label names are given"
                )
            }
            let labelPaths = map.stringMap("labels")
            for (label, text) in labelPaths {
                switch JSONPath.parse(text) {
                case .failure(let error):
                    map.log.add(map.line(of: "labels"), "\(map.path).labels.\(label): bad path: \(error.reason)")
                case .success(let parsed) where parsed.fansOut:
                    map.log.add(map.line(of: "labels"), "\(map.path).labels.\(label): a label path picks one field: no '*' or filter")
                case .success:
                    break
                }
            }
            guard let name, let path else { continue }
            result.append(
                MetricSpec(
                    name: name, path: path.text, unit: map.string("unit"), scale: map.number("scale") ?? 1, keyLabels: keyLabels,
                    labelPaths: labelPaths
                )
            )
        }
        return result
    }

    /// A list of plain names, such as `key_labels` or `scopes`.
    func names(_ map: ConfigMapping, _ key: String) -> [String] {
        map.list(key).compactMap { node -> String? in
            guard case .scalar(let text) = node.value else {
                map.log.add(node.line, "\(map.child(key)): expected a list of names")
                return nil
            }
            return text
        }
    }

    func count(_ map: ConfigMapping, _ key: String) -> Int? {
        guard let text = map.string(key) else { return nil }
        guard let value = Int(text), value > 0 else {
            map.log.add(map.line(of: key), "\(map.child(key)): expected a whole number above zero, found '\(text)'")
            return nil
        }
        return value
    }

    func flag(_ map: ConfigMapping, _ key: String) -> Bool? {
        guard let text = map.string(key) else { return nil }
        switch text {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            map.log.add(map.line(of: key), "\(map.child(key)): expected true or false, found '\(text)'")
            return nil
        }
    }
}
