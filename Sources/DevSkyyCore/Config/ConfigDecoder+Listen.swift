extension ConfigDecoder {
    /// The bounds of `listen.max_body`: the API's one body (a deliverable update) needs a few hundred bytes, and
    /// every accepted body is held in memory whole.
    static let maxBodyRange = 1_024...(16 << 20)

    /// The bounds of `listen.read_timeout` and `listen.idle_timeout`: shorter would cut off clients on a slow network,
    /// longer leaves a stalled client its descriptor for no good reason.
    static let readTimeoutRange = Duration.milliseconds(100)...Duration.seconds(600)
    static let idleTimeoutRange = Duration.milliseconds(100)...Duration.seconds(3_600)
    /// The bounds of `listen.max_connections` (per listener).
    static let maxConnectionsRange = 1...100_000

    /// `listen: { unix, unix_mode, tcp, max_body, cors_allowed_origins, allowed_hosts, threads, read_timeout,
    /// idle_timeout, max_connections }`.
    func decodeListen(_ map: ConfigMapping) -> ListenSettings {
        map.allowOnly([
            "unix", "unix_mode", "tcp", "max_body", "cors_allowed_origins", "allowed_hosts", "threads", "read_timeout", "idle_timeout",
            "max_connections",
        ])
        var settings = ListenSettings()
        if map["unix"] != nil {
            let path = map.string("unix") ?? ""
            if !path.isEmpty && !path.hasPrefix("/") {
                map.log.add(map.line(of: "unix"), "listen.unix: must be an absolute path, or \"\" to disable")
            }
            settings.unixPath = path.isEmpty ? nil : path
        }
        if let mode = map.string("unix_mode") {
            if let value = UInt16(mode, radix: 8), value <= 0o777 {
                settings.unixMode = value
            } else {
                map.log.add(map.line(of: "unix_mode"), "listen.unix_mode: expected an octal mode such as \"0660\", found '\(mode)'")
            }
        }
        if map["tcp"] != nil {
            let text = map.string("tcp") ?? ""
            if text.isEmpty {
                settings.tcp = nil
            } else if let hostPort = HostPort.parse(text) {
                settings.tcp = hostPort
            } else {
                map.log.add(map.line(of: "tcp"), "listen.tcp: expected host:port, found '\(text)'")
            }
        }
        if let text = map.string("max_body") {
            if let size = SizeParser.parse(text), Self.maxBodyRange.contains(size) {
                settings.maxBodyBytes = size
            } else {
                map.log.add(
                    map.line(of: "max_body"), "\(map.child("max_body")): bad size '\(text)' (use 64KiB, 1MiB or bytes; from 1KiB to 16MiB)")
            }
        }
        settings.corsAllowedOrigins = corsOrigins(map)
        settings.allowedHosts = allowedHosts(map)
        if let text = map.string("threads"), text != "auto" {
            if let count = Int(text), (1...ListenSettings.maxThreads).contains(count) {
                settings.threads = count
            } else {
                map.log.add(
                    map.line(of: "threads"),
                    "\(map.child("threads")): expected auto or a whole number from 1 to \(ListenSettings.maxThreads), found '\(text)'")
            }
        }
        settings.readTimeout = timeout(map, "read_timeout", in: Self.readTimeoutRange) ?? settings.readTimeout
        settings.idleTimeout = timeout(map, "idle_timeout", in: Self.idleTimeoutRange) ?? settings.idleTimeout
        if let text = map.string("max_connections") {
            if let count = Checked.int(text), Self.maxConnectionsRange.contains(count) {
                settings.maxConnections = count
            } else {
                let range = Self.maxConnectionsRange
                map.log.add(
                    map.line(of: "max_connections"),
                    "\(map.child("max_connections")): expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'"
                )
            }
        }
        return settings
    }

    /// A duration within `range`, or nil (reported) when it is not one.
    func timeout(_ map: ConfigMapping, _ key: String, in range: ClosedRange<Duration>) -> Duration? {
        guard let duration = map.duration(key) else { return nil }
        guard range.contains(duration) else {
            map.log.add(
                map.line(of: key),
                "\(map.child(key)): must be from \(DurationParser.format(range.lowerBound)) to \(DurationParser.format(range.upperBound))")
            return nil
        }
        return duration
    }

    /// `allowed_hosts: [dash.example, "[::1]"]`, lowercased, each once.
    private func allowedHosts(_ map: ConfigMapping) -> [String] {
        let key = "allowed_hosts"
        var hosts: [String] = []
        for (i, item) in map.list(key).enumerated() {
            let path = "\(map.child(key))[\(i)]"
            guard case .scalar(let raw) = item.value else {
                map.log.add(item.line, "\(path): expected a host name such as dash.example, found \(item.kindName)")
                continue
            }
            guard let text = map.log.expand(raw, line: item.line, at: path)?.lowercased() else { continue }
            if let problem = ListenSettings.allowedHostProblem(text) {
                map.log.add(item.line, "\(path): '\(text)': \(problem)")
            } else if !hosts.contains(text) {
                hosts.append(text)
            }
        }
        return hosts
    }

    /// `cors_allowed_origins: ["https://a.example", …]`, or `"*"` alone for any origin; each normalized as browsers
    /// send `Origin`.
    private func corsOrigins(_ map: ConfigMapping) -> [String] {
        let key = "cors_allowed_origins"
        guard let node = map[key] else { return [] }
        // A single origin may be written without the list, as `"*"` usually is.
        let items: [(node: ConfigNode, path: String)]
        if case .scalar = node.value {
            items = [(node, map.child(key))]
        } else {
            items = map.list(key).enumerated().map { ($1, "\(map.child(key))[\($0)]") }
        }
        var origins: [String] = []
        for (item, path) in items {
            guard case .scalar(let raw) = item.value else {
                map.log.add(item.line, "\(path): expected an origin such as https://dash.example, found \(item.kindName)")
                continue
            }
            guard let text = map.log.expand(raw, line: item.line, at: path) else { continue }
            if text == "*" {
                if items.count > 1 { map.log.add(item.line, "\(path): \"*\" allows every origin: give it alone") }
                origins.append(text)
                continue
            }
            switch CORSOrigin.normalize(text) {
            case .success(let origin): if !origins.contains(origin) { origins.append(origin) }
            case .failure(let problem): map.log.add(item.line, "\(path): '\(text)' is not an origin: \(problem.reason)")
            }
        }
        return origins
    }
}
