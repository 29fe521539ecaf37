import DevSkyyCore
import DevSkyyDaemon
import Foundation
import Testing

@Suite("Configuration validation")
struct ConfigValidationTests {
    static let valid = """
        redis:
          url: redis://127.0.0.1:6379/0
        listen:
          unix: /tmp/x.sock
          unix_mode: "0600"
          tcp: 127.0.0.1:9999
        partnerships:
          - id: technical
            name: Technical
            type: technical
            deliverables:
              - { id: microservices, name: Microservices }
        collectors:
          - name: tech
            partnership: technical
            url: http://127.0.0.1:8080/technical.json
            interval: 10s
            timeout: 2s
            headers: { Authorization: "Bearer ${TECH_TOKEN}" }
            metrics:
              - { name: system_uptime, path: metrics.system_uptime }
              - { name: followers, path: "social.*.followers", key_labels: [platform] }
        thresholds:
          - partnership: technical
            metric: system_uptime
            warning: { below: 99.9 }
            critical: { below: 99.0 }
            for: 30s
        """

    func load(_ yaml: String, environment: [String: String] = ["TECH_TOKEN": "s3cret"]) throws(ConfigError) -> DaemonConfig {
        try ConfigLoader(environment: environment).load(yaml: yaml, file: "test.yaml")
    }

    /// The issues a document produces, as `line: message`.
    func issues(_ yaml: String, environment: [String: String] = ["TECH_TOKEN": "s3cret"]) -> [ConfigIssue] {
        do {
            _ = try load(yaml, environment: environment)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func validFileDecodesWithDefaultsAndExpansion() throws {
        let config = try load(Self.valid)
        #expect(config.redis.endpoint == .tcp(host: "127.0.0.1", port: 6379, db: 0, username: nil, password: nil))
        #expect(config.redis.keyPrefix == "devskyy")
        #expect(config.listen.unixPath == "/tmp/x.sock")
        #expect(config.listen.unixMode == 0o600)
        #expect(config.listen.tcp == HostPort(host: "127.0.0.1", port: 9999))
        #expect(config.stateDir == "/var/lib/devskyy")
        #expect(config.partnerships.first?.deliverables.first?.id == "microservices")
        let collector = try #require(config.collectors.first)
        #expect(collector.interval == .seconds(10))
        #expect(collector.timeout == .seconds(2))
        #expect(collector.headers["Authorization"] == "Bearer s3cret")
        #expect(collector.metrics[1].keyLabels == ["platform"])
        #expect(config.thresholds.first?.forDuration == .seconds(30))
        #expect(config.thresholds.first?.critical?.below == 99.0)
    }

    @Test func retentionRollupsAndOutboxDecodeWithDefaults() throws {
        let defaults = try load(Self.valid)
        #expect(defaults.redis.retention == RetentionSettings())
        #expect(defaults.redis.rollups)
        #expect(defaults.outbox == OutboxSettings(directory: "/var/lib/devskyy/outbox"))

        let yaml = Self.valid.replacingOccurrences(
            of: "  url: redis://127.0.0.1:6379/0",
            with: """
                  url: redis://127.0.0.1:6379/0
                  retention: { raw: 1d, 1m: 7d, 1h: 30d, 1d: 365d }
                  rollups: false
                state_dir: /srv/devskyy/
                outbox: { max_size: 64MiB, segment_size: 1MiB, overflow: drop_newest, fsync: always }
                """
        )
        let config = try load(yaml)
        #expect(
            config.redis.retention
                == RetentionSettings(
                    raw: .seconds(86_400), minute: .seconds(7 * 86_400), hour: .seconds(30 * 86_400), day: .seconds(365 * 86_400)))
        #expect(!config.redis.rollups)
        #expect(
            config.outbox
                == OutboxSettings(
                    directory: "/srv/devskyy/outbox", maxBytes: 64 << 20, segmentBytes: 1 << 20, overflow: .dropNewest, fsync: .always)
        )
    }

    @Test func badRetentionAndOutboxValuesAreReportedWithTheirLines() {
        let yaml = Self.valid.replacingOccurrences(
            of: "  url: redis://127.0.0.1:6379/0",
            with: """
                  url: redis://127.0.0.1:6379/0
                  retention: { raw: 30d, 1m: 7d }
                outbox:
                  max_size: lots
                  overflow: drop_middle
                  fsync: sometimes
                """
        )
        let found = issues(yaml).map { "\($0.line): \($0.message)" }
        #expect(found.contains { $0.hasPrefix("3: config.redis.retention.1m: must be at least raw's retention (30d)") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("5: config.outbox.max_size: bad size 'lots'") }, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("6: config.outbox.overflow: unknown policy 'drop_middle' (known: drop_oldest, drop_newest)") },
            "\(found)")
        #expect(found.contains { $0.hasPrefix("7: config.outbox.fsync: expected always, never or an interval") }, "\(found)")
    }

    @Test func emptyListenValuesDisableListeners() throws {
        let yaml = Self.valid.replacingOccurrences(of: "unix: /tmp/x.sock", with: "unix: \"\"")
            .replacingOccurrences(of: "tcp: 127.0.0.1:9999", with: "tcp: \"\"")
        let config = try load(yaml)
        #expect(config.listen.unixPath == nil)
        #expect(config.listen.tcp == nil)
    }

    @Test func unknownKeyIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "    interval: 10s", with: "    intervall: 10s")
        let found = issues(yaml)
        #expect(found.count == 1)
        #expect(found.first?.line == 17)
        #expect(found.first?.message.contains("unknown key 'intervall'") == true)
        #expect(found.first?.description.hasPrefix("test.yaml:17: ") == true)
    }

    @Test func wrongTypeIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(
            of: "    headers: { Authorization: \"Bearer ${TECH_TOKEN}\" }", with: "    headers: [a, b]")
        let found = issues(yaml)
        #expect(found.map(\.line) == [19])
        #expect(found.first?.message.contains("expected a mapping, found a list") == true)
    }

    @Test func badNumberIsAWrongType() {
        let yaml = Self.valid.replacingOccurrences(of: "warning: { below: 99.9 }", with: "warning: { below: high }")
        let found = issues(yaml)
        #expect(found.map(\.line) == [26])
        #expect(found.first?.message.contains("expected a number") == true)
    }

    @Test func badURLIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "url: http://127.0.0.1:8080/technical.json", with: "url: gopher://x/y")
        let found = issues(yaml)
        #expect(found.map(\.line) == [16])
        #expect(found.first?.message.contains("scheme 'gopher' is not supported") == true)
    }

    @Test func badRedisURLIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "url: redis://127.0.0.1:6379/0", with: "url: redis://:hunter2@host:port/0")
        let found = issues(yaml)
        #expect(found.map(\.line) == [2])
        #expect(found.first?.message.contains("bad Redis URL") == true)
        #expect(found.first?.message.contains("hunter2") == false, "a password never appears in errors")
    }

    @Test func badDurationIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "interval: 10s", with: "interval: 10 seconds")
        let found = issues(yaml)
        #expect(found.map(\.line) == [17])
        #expect(found.first?.message.contains("bad duration '10 seconds'") == true)
    }

    @Test func unknownPartnershipIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "    partnership: technical\n    url", with: "    partnership: brand\n    url")
        let found = issues(yaml)
        // The collector names an unknown partnership; the threshold's metric then has no collector either.
        #expect(found.map(\.line) == [15, 25])
        #expect(found.first?.message.contains("unknown partnership 'brand'") == true)
    }

    @Test func unknownMetricInThresholdIsReportedWithItsLine() {
        let yaml = Self.valid.replacingOccurrences(of: "metric: system_uptime", with: "metric: uptime")
        let found = issues(yaml)
        #expect(found.map(\.line) == [25])
        #expect(found.first?.message.contains("unknown metric 'uptime'") == true)
    }

    @Test func unsetEnvironmentVariableIsAnError() {
        let found = issues(Self.valid, environment: [:])
        #expect(found.map(\.line) == [19])
        #expect(found.first?.message.contains("environment variable TECH_TOKEN is not set") == true)
    }

    @Test func timeoutMustBeShorterThanInterval() {
        let yaml = Self.valid.replacingOccurrences(of: "timeout: 2s", with: "timeout: 10s")
        #expect(issues(yaml).map(\.line) == [18])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let yaml = Self.valid
            .replacingOccurrences(of: "    interval: 10s", with: "    interval: soon")
            .replacingOccurrences(of: "type: technical", with: "type: robotic")
            .replacingOccurrences(of: "metric: system_uptime", with: "metric: nope")
            .replacingOccurrences(of: "redis:\n", with: "redis:\n  colour: blue\n")
        let found = issues(yaml)
        #expect(found.map(\.line).sorted() == [2, 11, 18, 26])
    }

    @Test func yamlSyntaxErrorHasALine() {
        let found = issues("redis:\n  url: [unclosed\nlisten: {}\n")
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 >= 2)
        #expect(found.first?.message.hasPrefix("YAML syntax") == true)
    }

    @Test func redisURLFromEnvironmentOverridesTheFile() throws {
        let config = try load(Self.valid, environment: ["TECH_TOKEN": "x", "DEVSKYY_REDIS_URL": "redis+unix:///run/redis.sock?db=3"])
        #expect(config.redis.endpoint == .unix(path: "/run/redis.sock", db: 3, username: nil, password: nil))
    }

    @Test func badRedisURLInEnvironmentIsReported() {
        let found = issues(Self.valid, environment: ["TECH_TOKEN": "x", "DEVSKYY_REDIS_URL": "http://nope"])
        #expect(found.count == 1)
        #expect(found.first?.message.contains("DEVSKYY_REDIS_URL") == true)
    }

    @Test(arguments: [
        ("redis://h:1/2", RedisEndpoint.tcp(host: "h", port: 1, db: 2, username: nil, password: nil)),
        ("redis://:pw@h:6380", .tcp(host: "h", port: 6380, db: 0, username: nil, password: "pw")),
        ("redis://user:pw@h/1", .tcp(host: "h", port: 6379, db: 1, username: "user", password: "pw")),
        ("redis+unix:///var/run/r.sock", .unix(path: "/var/run/r.sock", db: 0, username: nil, password: nil)),
    ])
    func redisURLs(text: String, expected: RedisEndpoint) throws {
        #expect(try RedisEndpoint.parse(text).get() == expected)
    }

    @Test func shippedExampleAndDemoConfigurationsAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let example = try ConfigLoader(environment: ["TECH_TOKEN": "t"]).load(path: "\(root)/etc/devskyy/devskyyd.yaml")
        #expect(example.collectors.count == 1)
        let demo = try ConfigLoader(environment: [
            "DEVSKYY_DEMO_RUN": "/tmp/run", "DEVSKYY_DEMO_TCP": "127.0.0.1:9464", "DEVSKYY_DEMO_DIR": "/tmp/demo",
            "DEVSKYY_DEMO_SOURCE": "http://127.0.0.1:8000",
        ]).load(path: "\(root)/etc/devskyy/demo.yaml")
        #expect(demo.collectors.map(\.url) == ["file:///tmp/demo/technical.json", "http://127.0.0.1:8000/brand.json"])
    }

    @Test func bracesInABodyAreNotTemplatesWithoutForEach() throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "    timeout: 2s\n", with: "    timeout: 2s\n    method: POST\n    body: '{\"query\": \"{x}\"}'\n")
        let config = try load(yaml)
        #expect(config.collectors.first?.body == #"{"query": "{x}"}"#)
    }

    @Test func anUnknownPlaceholderInAHeaderDoesNotEchoIt() {
        let yaml = """
            partnerships: [{ id: brand, type: brand }]
            influencers: [{ id: anna }]
            collectors:
              - name: i
                partnership: brand
                for_each: influencers
                url: http://x/{id}
                headers: { Authorization: "Bearer {secretish}" }
                metrics: [{ name: f, path: f }]
            """
        let found = issues(yaml)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("secretish") == false)
        #expect(found.first?.line == 8)
    }

    @Test func redisEndpointDescriptionMasksThePassword() throws {
        let endpoint = try RedisEndpoint.parse("redis://user:hunter2@h:1/0").get()
        #expect(endpoint.description == "redis://user:***@h:1/0")
    }
}
