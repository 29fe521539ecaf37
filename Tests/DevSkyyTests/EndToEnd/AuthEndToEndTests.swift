import DevSkyyAuth
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

/// Logins, refresh rotation, reuse detection, logout and API keys on the built devskyyd with its own redis-server,
/// over TCP; and that no credential ever reaches the daemon's log.
@Suite("Access control end to end", .serialized)
struct AuthEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture

    static let password = "correct horse battery staple"
    static let secret = "e2e-jwt-secret-of-forty-bytes-at-least-!!"

    struct Daemon {
        let port: Int

        func send(_ method: String, _ path: String, token: String? = nil, apiKey: String? = nil, json: String? = nil) async throws
            -> PlainHTTP.Answer
        {
            var headers: [String: String] = [:]
            if let token { headers["Authorization"] = "Bearer \(token)" }
            if let apiKey { headers["X-API-Key"] = apiKey }
            if json != nil { headers["Content-Type"] = "application/json" }
            return try await PlainHTTP.request(method, path, port: port, headers: headers, body: json.map { Array($0.utf8) })
        }

        func object(_ answer: PlainHTTP.Answer) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        }

        /// (access, refresh) from a login or refresh answer.
        func tokens(_ answer: PlainHTTP.Answer) throws -> (access: String, refresh: String) {
            let object = try object(answer)
            return (try #require(object["access_token"] as? String), try #require(object["refresh_token"] as? String))
        }

        func login(_ password: String = AuthEndToEndTests.password) async throws -> PlainHTTP.Answer {
            try await send("POST", "/api/v1/auth/login", json: #"{"username": "ada", "password": "\#(password)"}"#)
        }

        func refresh(_ token: String) async throws -> PlainHTTP.Answer {
            try await send("POST", "/api/v1/auth/refresh", json: #"{"refresh_token": "\#(token)"}"#)
        }
    }

    /// The fixture's configuration with an `auth:` section: the user `ada` (admin) and `keys` (name, key, role).
    static func writeConfig(
        _ f: Fixture, _ name: String, passwordHash: String, keys: [(String, String, String)], more: String = ""
    ) throws -> String {
        let apiKeys = keys.map { "    - { name: \($0.0), key_hash: \(APIKey.hash($0.1)), role: \($0.2) }" }.joined(separator: "\n")
        let config =
            try String(contentsOfFile: f.configPath, encoding: .utf8) + """

                auth:
                  jwt_secret: "\(secret)"
                  users:
                    - { username: ada, password_hash: "\(passwordHash)", role: admin }
                  api_keys:
                \(apiKeys)
                \(more)
                """
        f.folder.write(name, config)
        return f.folder.file(name)
    }

    @Test func loginRefreshReuseLogoutAndKeysOnTheRealDaemon() async throws {
        let hash = try PasswordHasher.makeHash(Self.password, cost: 10)
        let viewerKey = APIKey.generate()
        try await Fixture.run { f in
            let path = try Self.writeConfig(f, "auth.yaml", passwordHash: hash, keys: [("grafana", viewerKey, "metrics_viewer")])
            var daemon = try f.start(config: path, systemd: false)
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil }, "\(daemon.stderrSoFar)")
            let d = Daemon(port: f.tcpPort)
            var seen: [String] = [Self.password, Self.secret, viewerKey, hash]

            // Anonymous: only the defaults of auth.anonymous.
            #expect(try await d.send("GET", "/api/v1/orchestration/status").status == 401)
            #expect(try await d.send("GET", "/metrics").status == 200)
            #expect(try await d.send("GET", "/api/v1/orchestration/health").status == 200)

            // A wrong password, then the right one.
            let refused = try await d.login("wrong password")
            #expect(refused.status == 401)
            #expect(try d.object(refused)["status"] as? String == "error")
            let login = try await d.login()
            #expect(login.status == 200, "\(String(decoding: login.body, as: UTF8.self))")
            #expect(login.headers["cache-control"] == "no-store")
            #expect(try d.object(login)["role"] as? String == "orchestration_admin")
            #expect(try d.object(login)["token_type"] as? String == "bearer")
            #expect((try d.object(login)["expires_in"] as? Int).map { $0 > 0 } == true, "not null")
            #expect((try d.object(login)["refresh_expires_in"] as? Int).map { $0 > 0 } == true, "not null")
            let first = try d.tokens(login)
            seen += [first.access, first.refresh]
            #expect(try await d.send("GET", "/api/v1/orchestration/config", token: first.access).status == 200)

            // An API key of a metrics viewer: history yes, the configuration no.
            #expect(try await d.send("GET", "/api/v1/series", apiKey: viewerKey).status == 200)
            let forbidden = try await d.send("GET", "/api/v1/orchestration/config", apiKey: viewerKey)
            #expect(forbidden.status == 403)
            #expect(String(decoding: forbidden.body, as: UTF8.self).contains("orchestration:admin"))
            #expect(try await d.send("GET", "/api/v1/series", apiKey: "dsk_not-a-key").status == 401)

            // Rotation: the first refresh token works once; used again it revokes the whole login.
            let rotated = try await d.refresh(first.refresh)
            #expect(rotated.status == 200)
            let second = try d.tokens(rotated)
            seen += [second.access, second.refresh]
            #expect(try await d.refresh(first.refresh).status == 401, "a reused refresh token")
            #expect(try await d.refresh(second.refresh).status == 401, "its login is revoked with it")
            #expect(try await d.send("GET", "/api/v1/orchestration/status", token: first.refresh).status == 401, "refresh as access")

            // The sessions live in Redis: a restarted daemon still knows a used token.
            let again = try d.tokens(try await d.login())
            seen += [again.access, again.refresh]
            let third = try d.tokens(try await d.refresh(again.refresh))
            seen += [third.access, third.refresh]
            let firstLog = daemon.stderrSoFar
            daemon.signal(SIGTERM)
            #expect(await daemon.wait().status == 0)
            daemon = try f.start(config: path, systemd: false)
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil })
            #expect(try await d.send("GET", "/api/v1/orchestration/status", token: third.access).status == 200, "access survives")
            #expect(try await d.refresh(again.refresh).status == 401, "reuse is caught after a restart")
            #expect(try await d.refresh(third.refresh).status == 401, "and revokes the login")

            // Logout ends the session and the access token at once.
            let last = try d.tokens(try await d.login())
            seen += [last.access, last.refresh]
            #expect(try await d.send("GET", "/api/v1/orchestration/status", token: last.access).status == 200)
            #expect(try await d.send("POST", "/api/v1/auth/logout", token: last.access).status == 204)
            #expect(try await d.send("GET", "/api/v1/orchestration/status", token: last.access).status == 401)
            #expect(try await d.refresh(last.refresh).status == 401)

            daemon.signal(SIGTERM)
            let exit = await daemon.wait()
            #expect(exit.status == 0)
            let log = firstLog + exit.stderr
            for secret in seen {
                #expect(!log.contains(secret), "the log holds a credential")
            }
            #expect(log.contains("access: login"), "logins are audited")
            #expect(log.contains("refresh_reuse"), "reuse is a security event")
        }
    }

    /// Limits per identity and endpoint class with the seeds' and the IETF draft's fields, and failed logins held to
    /// 5 a minute per username (even the right password waits).
    @Test func rateLimitsHoldPerIdentityAndFailedLoginsAreThrottled() async throws {
        let hash = try PasswordHasher.makeHash(Self.password, cost: 10)
        let (first, second) = (APIKey.generate(), APIKey.generate())
        try await Fixture.run { f in
            let path = try Self.writeConfig(
                f, "limits.yaml", passwordHash: hash,
                keys: [("one", first, "orchestration_admin"), ("two", second, "orchestration_admin")],
                more: "rate_limits: { metrics: 3/min }")
            let daemon = try f.start(config: path, systemd: false)
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil }, "\(daemon.stderrSoFar)")
            let d = Daemon(port: f.tcpPort)

            var statuses: [Int] = []
            for _ in 0..<4 {
                let answer = try await d.send("GET", "/api/v1/series", apiKey: first)
                statuses.append(answer.status)
                if answer.status == 200 {
                    #expect(answer.headers["x-ratelimit-limit"] == "3")
                    #expect(answer.headers["ratelimit-policy"] == #""metrics";q=3;w=60"#)
                } else {
                    #expect(answer.headers["retry-after"].flatMap { Int($0) }.map { $0 >= 1 && $0 <= 60 } == true)
                    #expect(try d.object(answer)["status"] as? String == "error")
                }
            }
            #expect(statuses == [200, 200, 200, 429])
            // Another identity has its own count; another class of the same identity too.
            #expect(try await d.send("GET", "/api/v1/series", apiKey: second).status == 200)
            #expect(try await d.send("GET", "/api/v1/orchestration/status", apiKey: first).status == 200)

            var logins: [Int] = []
            for _ in 0..<5 { logins.append(try await d.login("wrong password").status) }
            #expect(logins == [401, 401, 401, 401, 401])
            let throttled = try await d.login()
            #expect(throttled.status == 429, "the right password waits too")
            #expect(throttled.headers["retry-after"] != nil)
        }
    }
}
