import DevSkyyCore
import DevSkyyDaemon
import Testing

@Suite("Configuration: listen.max_body, listen.cors_allowed_origins and listen.threads")
struct ListenConfigTests {
    /// A minimal file whose `listen` section ends with `extra` (line 4 on).
    private func yaml(_ extra: String) -> String {
        """
        listen:
          unix: ""
          tcp: 127.0.0.1:0
        \(extra)
        """
    }

    private func load(_ text: String) throws(ConfigError) -> DaemonConfig {
        try ConfigLoader(environment: ["DASH": "https://dash.example"]).load(yaml: text, file: "listen.yaml")
    }

    private func issues(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func defaultsAre64KiBAndNoCORS() throws {
        let config = try load(yaml(""))
        #expect(config.listen.maxBodyBytes == 65_536)
        #expect(config.listen.corsAllowedOrigins.isEmpty)
        #expect(ListenSettings().maxBodyBytes == 65_536)
    }

    @Test func goodValuesDecodeAndOriginsAreNormalized() throws {
        let config = try load(
            yaml(
                """
                  max_body: 1MiB
                  cors_allowed_origins:
                    - HTTPS://Dash.Example:443
                    - http://localhost:3000
                    - ${DASH}
                    - "http://[::1]:8080"
                """))
        #expect(config.listen.maxBodyBytes == 1 << 20)
        #expect(config.listen.corsAllowedOrigins == ["https://dash.example", "http://localhost:3000", "http://[::1]:8080"])
        #expect(try load(yaml("  max_body: 4096\n  cors_allowed_origins: \"*\"")).listen.corsAllowedOrigins == ["*"])
        #expect(try load(yaml("  max_body: 4096")).listen.maxBodyBytes == 4_096)
    }

    static let bad: [(extra: String, issue: String)] = [
        ("  max_body: lots", "listen.yaml:4: config.listen.max_body: bad size 'lots' (use 64KiB, 1MiB or bytes; from 1KiB to 16MiB)"),
        ("  max_body: 100", "listen.yaml:4: config.listen.max_body: bad size '100'"),
        ("  max_body: 1GiB", "listen.yaml:4: config.listen.max_body: bad size '1GiB'"),
        (
            "  cors_allowed_origins: [https://a.example/]",
            "listen.yaml:4: config.listen.cors_allowed_origins[0]: 'https://a.example/' is not an origin: an origin has no path"
        ),
        (
            "  cors_allowed_origins:\n    - https://a.example\n    - ftp://b.example",
            "listen.yaml:6: config.listen.cors_allowed_origins[1]: 'ftp://b.example' is not an origin: the scheme must be http or https"
        ),
        ("  cors_allowed_origins: [https://a.example:99999]", "is not an origin: the port must be a number from 1 to 65535"),
        ("  cors_allowed_origins: [a.example]", "is not an origin: expected scheme://host[:port]"),
        ("  cors_allowed_origins: [\"https://user@a.example\"]", "is not an origin: an origin has no user info"),
        ("  cors_allowed_origins: [\"https://a.example?x=1\"]", "is not an origin: an origin has no query or fragment"),
        (
            "  cors_allowed_origins: [\"*\", https://a.example]",
            "listen.yaml:4: config.listen.cors_allowed_origins[0]: \"*\" allows every origin: give it alone"
        ),
        (
            "  cors_allowed_origins: [[https://a.example]]",
            "config.listen.cors_allowed_origins[0]: expected an origin such as https://dash.example"
        ),
        ("  cors_allowed_origins: { a: b }", "listen.yaml:4: config.listen.cors_allowed_origins: expected a list"),
        ("  cors_allowed_origins: [\"https://\"]", "is not an origin: the host must be a name or an address"),
        ("  cors: []", "listen.yaml:4: config.listen: unknown key 'cors'"),
        ("  threads: 0", "listen.yaml:4: config.listen.threads: expected auto or a whole number from 1 to 64, found '0'"),
        ("  threads: 65", "listen.yaml:4: config.listen.threads: expected auto or a whole number from 1 to 64, found '65'"),
        ("  threads: many", "listen.yaml:4: config.listen.threads: expected auto or a whole number from 1 to 64, found 'many'"),
        ("  read_timeout: soon", "listen.yaml:4: config.listen.read_timeout: bad duration 'soon'"),
        ("  read_timeout: 50ms", "listen.yaml:4: config.listen.read_timeout: must be from 100ms to 10m"),
        ("  read_timeout: 1h", "listen.yaml:4: config.listen.read_timeout: must be from 100ms to 10m"),
        ("  idle_timeout: 2h", "listen.yaml:4: config.listen.idle_timeout: must be from 100ms to 1h"),
        ("  max_connections: 0", "listen.yaml:4: config.listen.max_connections: expected a whole number from 1 to 100000, found '0'"),
        ("  max_connections: 1e9", "listen.yaml:4: config.listen.max_connections: expected a whole number from 1 to 100000, found '1e9'"),
        (
            "  max_connections: 99999999999999999999999",
            "listen.yaml:4: config.listen.max_connections: expected a whole number from 1 to 100000"
        ),
    ]

    @Test func timeoutsAndTheConnectionCapHaveDefaultsAndDecode() throws {
        let defaults = try load(yaml("")).listen
        #expect(defaults.readTimeout == .seconds(10))
        #expect(defaults.idleTimeout == .seconds(60))
        #expect(defaults.maxConnections == 400)
        let given = try load(yaml("  read_timeout: 500ms\n  idle_timeout: 5m\n  max_connections: 64")).listen
        #expect(given.readTimeout == .milliseconds(500))
        #expect(given.idleTimeout == .seconds(300))
        #expect(given.maxConnections == 64)
    }

    @Test func threadsAreHalfTheCoresUnlessGiven() throws {
        let automatic = try load(yaml("  threads: auto")).listen
        #expect(automatic.threads == nil)
        #expect(automatic.eventLoopThreads(cores: 2) == 1)
        #expect(automatic.eventLoopThreads(cores: 1) == 1)
        #expect(automatic.eventLoopThreads(cores: 16) == 8)
        #expect(try load(yaml("")).listen.threads == nil)
        let given = try load(yaml("  threads: 3")).listen
        #expect(given.threads == 3)
        #expect(given.eventLoopThreads(cores: 2) == 3)
    }

    @Test(arguments: bad) func badValuesAreReportedWithFileAndLine(extra: String, issue: String) {
        let found = issues(yaml(extra))
        #expect(found.count == 1 && found.contains { $0.contains(issue) }, "\(found)")
    }
}
