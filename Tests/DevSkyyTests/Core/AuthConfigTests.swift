import DevSkyyCore
import DevSkyyDaemon
import Foundation
import Testing

@Suite("Configuration: auth")
struct AuthConfigTests {
    static let secret = "0123456789abcdef0123456789abcdef-jwt"
    /// Shaped like bcrypt (cost 12); nothing here checks a password against it.
    static let bcrypt = "$2b$12$" + "R9h/cIPz0gi.URNNX3kh2O" + "PST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
    static let bcrypt2 = "$2y$10$" + "N9qo8uLOickgx2ZMRZoMye" + "IjZAgcfl7p92ldGxad68LJZdL17lhWy"
    static let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    static let sha256b = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

    /// A file whose `auth` section holds `extra` (line 5 on), listening on loopback only.
    private func yaml(_ extra: String, tcp: String = "127.0.0.1:0") -> String {
        """
        listen:
          unix: ""
          tcp: \(tcp)
        auth:
        \(extra)
        """
    }

    private func load(_ text: String, environment: [String: String] = ["JWT": secret]) throws(ConfigError) -> DaemonConfig {
        try ConfigLoader(environment: environment).load(yaml: text, file: "auth.yaml")
    }

    private func issues(_ text: String, environment: [String: String] = ["JWT": secret]) -> [String] {
        ConfigLoader(environment: environment).issues(yaml: text, file: "auth.yaml")
    }

    @Test func noSectionMeansNoAuthSettings() throws {
        let config = try load("listen:\n  unix: \"\"\n  tcp: 127.0.0.1:0\n")
        #expect(config.auth == nil)
    }

    @Test func identitiesDecodeWithRolesByAliasAndDefaults() throws {
        let config = try load(
            yaml(
                """
                  jwt_secret: ${JWT}
                  users:
                    - { username: ana.ops@example, password_hash: "\(Self.bcrypt)", role: admin }
                    - { username: bo, password_hash: "\(Self.bcrypt2)", role: metrics_viewer }
                  api_keys:
                    - { name: grafana, key_hash: \(Self.sha256), role: metrics_viewer }
                  clients:
                    - { client_id: billing.svc, secret_hash: "\(Self.bcrypt)", role: orchestration_manager }
                """))
        let auth = try #require(config.auth)
        #expect(
            auth.users == [
                .init(username: "ana.ops@example", passwordHash: Self.bcrypt, role: .orchestrationAdmin),
                .init(username: "bo", passwordHash: Self.bcrypt2, role: .metricsViewer),
            ])
        #expect(auth.apiKeys == [.init(name: "grafana", keyHash: Self.sha256, role: .metricsViewer)])
        #expect(auth.clients == [.init(clientID: "billing.svc", secretHash: Self.bcrypt, role: .orchestrationManager)])
        #expect(auth.jwtSecret == Self.secret)
        #expect(auth.issuer == "devskyyd")
        #expect(auth.audience == "devskyy-api")
        #expect(auth.accessTTL == .seconds(900))
        #expect(auth.refreshTTL == .seconds(7 * 86_400))
        #expect(auth.anonymous.map(\.description) == ["/metrics", "GET /api/v1/orchestration/health"])
        #expect(auth.unixSocket == .trusted)
        #expect(!auth.allowAnonymousTCP)
        #expect(auth.hasIdentities)
    }

    @Test func givenValuesDecode() throws {
        let auth = try #require(
            try load(
                yaml(
                    """
                      api_keys: [{ name: ci, key_hash: \(Self.sha256), role: content_manager }]
                      issuer: https://devskyy.example
                      audience: api
                      access_ttl: 5m
                      refresh_ttl: 30d
                      anonymous: ["get /api/v1/orchestration/health", /openapi.json]
                      unix_socket: token
                      allow_anonymous_tcp: true
                    """)
            ).auth)
        #expect(auth.jwtSecret == nil, "API keys alone need no secret")
        #expect(auth.issuer == "https://devskyy.example" && auth.audience == "api")
        #expect(auth.accessTTL == .seconds(300) && auth.refreshTTL == .seconds(30 * 86_400))
        #expect(auth.anonymous.map(\.description) == ["GET /api/v1/orchestration/health", "/openapi.json"])
        #expect(auth.isAnonymous(method: "GET", path: "/openapi.json"))
        #expect(auth.isAnonymous(method: "GET", path: "/api/v1/orchestration/health"))
        #expect(!auth.isAnonymous(method: "POST", path: "/api/v1/orchestration/health"))
        #expect(!auth.isAnonymous(method: "GET", path: "/metrics"))
        #expect(auth.unixSocket == .token)
        #expect(auth.allowAnonymousTCP)
        let closed = try #require(try load(yaml("  anonymous: []")).auth)
        #expect(closed.anonymous.isEmpty)
        #expect(!closed.isAnonymous(method: "GET", path: "/metrics"))
    }

    @Test func theSecretComesFromTheEnvironmentWhenTheFileHasNone() throws {
        let user = "  users: [{ username: ana, password_hash: \"\(Self.bcrypt)\", role: admin }]"
        let fromEnvironment = try load(yaml(user), environment: ["DEVSKYY_JWT_SECRET": Self.secret + "-env"])
        #expect(fromEnvironment.auth?.jwtSecret == Self.secret + "-env")
        let fromFile = try load(yaml(user + "\n  jwt_secret: ${JWT}"), environment: ["JWT": Self.secret, "DEVSKYY_JWT_SECRET": "x"])
        #expect(fromFile.auth?.jwtSecret == Self.secret)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authcfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jwt").path
        try (Self.secret + "-file\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try load(yaml(user + "\n  jwt_secret_file: \(path)")).auth?.jwtSecret == Self.secret + "-file")
    }

    static let user = "  users: [{ username: ana, password_hash: \"\(bcrypt)\", role: admin }]\n  jwt_secret: ${JWT}"

    static let bad: [(extra: String, issue: String)] = [
        (
            "  users: [{ username: ana, password_hash: \"$2b$12$tooShort\", role: admin }]\n  jwt_secret: ${JWT}",
            "auth.yaml:5: config.auth.users[0].password_hash: not a bcrypt hash: expected 60 characters ($2b$, a two-digit cost, $, 53 more), found 15"
        ),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt.replacingOccurrences(of: "$2b$", with: "$2x$"))\", role: admin }]\n  jwt_secret: ${JWT}",
            "auth.yaml:5: config.auth.users[0].password_hash: not a bcrypt hash: it must start with $2a$, $2b$ or $2y$"
        ),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt.replacingOccurrences(of: "$12$", with: "$09$"))\", role: admin }]\n  jwt_secret: ${JWT}",
            "config.auth.users[0].password_hash: bcrypt cost 9 is too low: use at least 10"
        ),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt.replacingOccurrences(of: "$12$", with: "$32$"))\", role: admin }]\n  jwt_secret: ${JWT}",
            "config.auth.users[0].password_hash: bcrypt cost 32 is above bcrypt's maximum of 31"
        ),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt.replacingOccurrences(of: "$12$", with: "$1x$"))\", role: admin }]\n  jwt_secret: ${JWT}",
            "config.auth.users[0].password_hash: not a bcrypt hash: a two-digit cost and '$' must follow the version"
        ),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt.replacingOccurrences(of: "/", with: "+"))\", role: admin }]\n  jwt_secret: ${JWT}",
            "config.auth.users[0].password_hash: not a bcrypt hash: the salt and digest hold characters outside bcrypt's alphabet"
        ),
        (
            "  clients: [{ client_id: svc, secret_hash: \"\(bcrypt.dropLast())\", role: admin }]\n  jwt_secret: ${JWT}",
            "auth.yaml:5: config.auth.clients[0].secret_hash: not a bcrypt hash: expected 60 characters"
        ),
        (
            "  api_keys: [{ name: ci, key_hash: \(sha256.uppercased()), role: admin }]",
            "auth.yaml:5: config.auth.api_keys[0].key_hash: the SHA-256 must be written in lowercase hex"
        ),
        (
            "  api_keys: [{ name: ci, key_hash: \(sha256.dropLast()), role: admin }]",
            "config.auth.api_keys[0].key_hash: expected the key's SHA-256 as 64 lowercase hex characters, found 63 characters"
        ),
        (
            "  api_keys: [{ name: ci, key_hash: \(sha256.dropLast())z, role: admin }]",
            "config.auth.api_keys[0].key_hash: expected the key's SHA-256 as lowercase hex (0-9, a-f only)"
        ),
        (
            "  api_keys:\n    - { name: ci, key_hash: \(sha256), role: admin }\n    - { name: ci, key_hash: \(sha256b), role: admin }",
            "auth.yaml:7: config.auth.api_keys[1].name: 'ci' is declared twice"
        ),
        (
            "  api_keys:\n    - { name: ci, key_hash: \(sha256), role: admin }\n    - { name: cd, key_hash: \(sha256), role: admin }",
            "auth.yaml:7: config.auth.api_keys[1].key_hash: the same as ci's: each key must be different"
        ),
        (
            "  users:\n    - { username: ana, password_hash: \"\(bcrypt)\", role: admin }\n    - { username: ana, password_hash: \"\(bcrypt2)\", role: admin }\n  jwt_secret: ${JWT}",
            "auth.yaml:7: config.auth.users[1].username: 'ana' is declared twice"
        ),
        (
            "  clients:\n    - { client_id: svc, secret_hash: \"\(bcrypt)\", role: admin }\n    - { client_id: svc, secret_hash: \"\(bcrypt2)\", role: admin }\n  jwt_secret: ${JWT}",
            "auth.yaml:7: config.auth.clients[1].client_id: 'svc' is declared twice"
        ),
        (
            "  users: [{ username: \"ana maria\", password_hash: \"\(bcrypt)\", role: admin }]\n  jwt_secret: ${JWT}",
            "config.auth.users[0].username: 'ana maria' may hold only letters, digits and '.' '_' '@' '-' (1 to 64 characters)"
        ),
        (
            "  api_keys: [{ name: ci, key_hash: \(sha256), role: root }]",
            "auth.yaml:5: config.auth.api_keys[0].role: unknown role 'root' (accepted: orchestration_admin, partnership_manager, "
                + "metrics_viewer, content_manager, orchestration_manager, admin, system_admin)"
        ),
        ("  api_keys: [{ name: ci, key_hash: \(sha256) }]", "auth.yaml:5: config.auth.api_keys[0]: missing required key 'role'"),
        ("  api_keys: [{ name: ci, key_hash: \(sha256), role: admin, scope: all }]", "config.auth.api_keys[0]: unknown key 'scope'"),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt)\", role: admin }]",
            "config.auth: users and clients need a jwt_secret to sign their tokens: set jwt_secret (\"${VAR}\") or "
                + "jwt_secret_file, or DEVSKYY_JWT_SECRET in the environment; at least 32 random bytes"
        ),
        (
            "  clients: [{ client_id: svc, secret_hash: \"\(bcrypt)\", role: admin }]\n  jwt_secret: ${SHORT}",
            "auth.yaml:6: config.auth.jwt_secret: the JWT secret is too short: at least 32 bytes are needed (HS256)"
        ),
        (
            "  users: [{ username: ana, password_hash: \"\(bcrypt)\", role: admin }]\n  jwt_secret: ${UNSET}",
            "auth.yaml:6: config.auth.jwt_secret: environment variable UNSET is not set"
        ),
        (
            "  api_keys: [{ name: ci, key_hash: \(sha256), role: admin }]\n  jwt_secret: short-but-given",
            "auth.yaml:6: config.auth.jwt_secret: the JWT secret is too short"
        ),
        (user + "\n  access_ttl: 30s", "auth.yaml:7: config.auth.access_ttl: must be from 1m to 1d"),
        (user + "\n  access_ttl: 2d", "auth.yaml:7: config.auth.access_ttl: must be from 1m to 1d"),
        (user + "\n  refresh_ttl: 1m", "auth.yaml:7: config.auth.refresh_ttl: must be from 5m to 365d"),
        (user + "\n  refresh_ttl: 366d", "auth.yaml:7: config.auth.refresh_ttl: must be from 5m to 365d"),
        (
            user + "\n  access_ttl: 1h\n  refresh_ttl: 30m",
            "auth.yaml:8: config.auth.refresh_ttl: refresh_ttl (30m) must be longer than access_ttl (1h)"
        ),
        (
            user + "\n  access_ttl: 1d\n  refresh_ttl: 1d",
            "auth.yaml:8: config.auth.refresh_ttl: refresh_ttl (1d) must be longer than access_ttl (1d)"
        ),
        (user + "\n  access_ttl: soon", "auth.yaml:7: config.auth.access_ttl: bad duration 'soon'"),
        (user + "\n  issuer: \"\"", "auth.yaml:7: config.auth.issuer: must be printable ASCII without spaces, and not empty"),
        (user + "\n  audience: \"my api\"", "auth.yaml:7: config.auth.audience: must be printable ASCII without spaces"),
        (user + "\n  anonymous: [\"GET metrics\"]", "auth.yaml:7: config.auth.anonymous[0]: 'GET metrics': the path must start with '/'"),
        (
            user + "\n  anonymous: [\"GET /metrics?x=1\"]",
            "config.auth.anonymous[0]: 'GET /metrics?x=1': the path must be printable ASCII without a query or fragment"
        ),
        (user + "\n  anonymous: [\"G3T /metrics\"]", "config.auth.anonymous[0]: 'G3T /metrics': the method must be letters only"),
        (user + "\n  anonymous: [\"GET /a /b\"]", "config.auth.anonymous[0]: 'GET /a /b': expected \"METHOD /path\" or \"/path\""),
        (user + "\n  anonymous: [[/metrics]]", "config.auth.anonymous[0]: expected \"METHOD /path\" or \"/path\", found a list"),
        (user + "\n  anonymous: /metrics", "auth.yaml:7: config.auth.anonymous: expected a list"),
        (user + "\n  unix_socket: maybe", "auth.yaml:7: config.auth.unix_socket: expected trusted or token, found 'maybe'"),
        (
            "  unix_socket: token",
            "auth.yaml:5: config.auth.unix_socket: token asks every caller of the socket for credentials, but no users, api_keys or clients"
        ),
        (user + "\n  allow_anonymous_tcp: maybe", "auth.yaml:7: config.auth.allow_anonymous_tcp: expected true or false, found 'maybe'"),
        (user + "\n  tokens: []", "auth.yaml:7: config.auth: unknown key 'tokens'"),
    ]

    @Test(arguments: bad) func badValuesAreReportedWithFileAndLine(extra: String, issue: String) {
        let found = issues(yaml(extra), environment: ["JWT": Self.secret, "SHORT": "0123456789"])
        #expect(found.count == 1 && found.contains { $0.contains(issue) }, "\(found)")
    }

    @Test func problemsNeverRepeatAHashOrASecret() {
        let shortSecret = "0123456789abcdef"
        let badHash = String(Self.bcrypt.dropLast())
        let badKey = Self.sha256.uppercased()
        let found = issues(
            yaml(
                """
                  users: [{ username: ana, password_hash: "\(badHash)", role: admin }]
                  api_keys: [{ name: ci, key_hash: \(badKey), role: admin }]
                  jwt_secret: \(shortSecret)
                """))
        #expect(found.count == 3, "\(found)")
        for issue in found {
            #expect(!issue.contains(shortSecret) && !issue.contains(badHash) && !issue.contains(badKey), "\(issue)")
        }
        let fromEnvironment = issues(
            yaml("  clients: [{ client_id: svc, secret_hash: \"\(Self.bcrypt)\", role: admin }]"),
            environment: ["DEVSKYY_JWT_SECRET": shortSecret])
        #expect(
            fromEnvironment.count == 1
                && fromEnvironment[0].hasPrefix("auth.yaml:0: environment DEVSKYY_JWT_SECRET: the JWT secret is too short"))
        #expect(!fromEnvironment[0].contains(shortSecret))
    }

    @Test(arguments: ["0.0.0.0:9464", "[::]:9464", "10.1.2.3:9464", "devskyy.example:9464", "127.1:9464"])
    func aListenerOthersCanReachNeedsIdentitiesOrAnExplicitYes(tcp: String) throws {
        let open = issues("listen:\n  unix: \"\"\n  tcp: \"\(tcp)\"\n")
        #expect(open.count == 1, "\(open)")
        #expect(open.first?.hasPrefix("auth.yaml:3: config.listen.tcp: ") == true, "\(open)")
        #expect(open.first?.contains("add users, api_keys or clients under auth:") == true)
        #expect(open.first?.contains("auth.allow_anonymous_tcp: true") == true)
        // An auth section without identities does not change that; saying it is meant does, and so do identities.
        #expect(issues(yaml("  issuer: x", tcp: "\"\(tcp)\"")).count == 1)
        #expect(try load(yaml("  allow_anonymous_tcp: true", tcp: "\"\(tcp)\"")).auth?.allowAnonymousTCP == true)
        #expect(try load(yaml(Self.user, tcp: "\"\(tcp)\"")).auth?.hasIdentities == true)
    }

    @Test(arguments: ["127.0.0.1:9464", "127.3.4.5:1", "[::1]:9464", "[0:0:0:0:0:0:0:1]:9464", "localhost:9464", "LocalHost:1", ""])
    func loopbackListenersNeedNoAuth(tcp: String) {
        #expect(issues("listen:\n  unix: \"\"\n  tcp: \"\(tcp)\"\n").isEmpty)
    }

    @Test func withoutAListenSectionTheDefaultLoopbackListenerIsFine() {
        #expect(issues("state_dir: /tmp/x\n").isEmpty)
    }

    @Test func theRedactedConfigurationMasksTheSecretAndEveryHash() throws {
        let config = try load(
            """
            listen:
              unix: ""
              tcp: 127.0.0.1:0
            content:
              - { id: post1, tier: "12", note: b }
            auth:
              jwt_secret: ${JWT}
              users: [{ username: ana, password_hash: "\(Self.bcrypt)", role: admin }]
              api_keys: [{ name: ci, key_hash: \(Self.sha256), role: metrics_viewer }]
              clients: [{ client_id: svc, secret_hash: "\(Self.bcrypt2)", role: content_manager }]
            """)
        let secrets = config.secretValues()
        for value in [Self.secret, Self.bcrypt, Self.sha256, Self.bcrypt2] { #expect(secrets.contains(value)) }
        let redacted = try #require(config.redacted().auth)
        let marker = DaemonConfig.redactedMarker
        #expect(redacted.jwtSecret == marker)
        #expect(redacted.users == [.init(username: "ana", passwordHash: marker, role: .orchestrationAdmin)])
        #expect(redacted.apiKeys == [.init(name: "ci", keyHash: marker, role: .metricsViewer)])
        #expect(redacted.clients == [.init(clientID: "svc", secretHash: marker, role: .contentManager)])
        let described = String(describing: config.redacted())
        for value in [Self.secret, Self.bcrypt, Self.sha256, Self.bcrypt2] { #expect(!described.contains(value)) }
        // Entity fields are compared with the collectors' secrets only: "12" is inside the bcrypt hash by chance.
        #expect(config.redacted().entities.first?.fields["tier"] == "12")
        #expect(config.redacted().entities.first?.fields["note"] == "b")
    }

    @Test func theRedisPasswordIsASecretValueToo() throws {
        let config = try load("redis:\n  url: redis://:hunter2-redis@127.0.0.1:6379/0\nlisten:\n  unix: \"\"\n")
        #expect(config.secretValues() == ["hunter2-redis"])
    }
}
