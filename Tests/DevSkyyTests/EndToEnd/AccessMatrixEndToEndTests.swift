import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

@testable import DevSkyyAuth
@testable import DevSkyyServer

/// Every route of the router against every kind of caller, on the built devskyyd: the status of each answer must be
/// what the permission table (`APIRoutes.permissions`) and `auth.anonymous` say, and no answer nor log line may carry
/// a credential. Over TCP the whole matrix; over the Unix socket a sample, trusted and with `unix_socket: token`.
@Suite("Access matrix end to end", .serialized)
struct AccessMatrixEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture

    static let password = "matrix horse battery staple"
    static let secret = "matrix-jwt-secret-of-forty-bytes-at-least"
    static let users: [(name: String, role: Role)] = [
        ("ada", .orchestrationAdmin), ("pat", .partnershipManager), ("vic", .metricsViewer), ("cat", .contentManager),
    ]

    /// A concrete request for each route, by `APIRoute.key`. A route missing here fails the test, so a new route is
    /// walked through the matrix too.
    static let requests: [String: (path: String, body: String?)] = [
        "GET /api/v1/orchestration/health": ("/api/v1/orchestration/health", nil),
        "GET /api/v1/orchestration/status": ("/api/v1/orchestration/status", nil),
        "GET /api/v1/orchestration/metrics": ("/api/v1/orchestration/metrics", nil),
        "GET /api/v1/orchestration/metrics/{partnership_type}": ("/api/v1/orchestration/metrics/technical", nil),
        "GET /api/v1/orchestration/partnerships": ("/api/v1/orchestration/partnerships", nil),
        "GET /api/v1/orchestration/config": ("/api/v1/orchestration/config", nil),
        "GET /api/v1/orchestration/deployment/readiness": ("/api/v1/orchestration/deployment/readiness", nil),
        "GET /api/v1/orchestration/docs/endpoints": ("/api/v1/orchestration/docs/endpoints", nil),
        "GET /api/v1/partnerships": ("/api/v1/partnerships", nil),
        "GET /api/v1/partnerships/{id}/status": ("/api/v1/partnerships/technical/status", nil),
        "GET /api/v1/partnerships/{id}/deliverables": ("/api/v1/partnerships/technical/deliverables", nil),
        "PUT /api/v1/partnerships/{id}/deliverables/{deliverable_id}": (
            "/api/v1/partnerships/technical/deliverables/none", #"{"status": "in_progress"}"#
        ),
        "GET /api/v1/collectors": ("/api/v1/collectors", nil),
        "POST /api/v1/collectors/{name}/test": ("/api/v1/collectors/technical-file/test", nil),
        "GET /api/v1/series": ("/api/v1/series", nil),
        "GET /api/v1/query_range": ("/api/v1/query_range?series=system_uptime&from=0", nil),
        "GET /api/v1/events": ("/api/v1/events", nil),
        "GET /api/v1/events/stream": ("/api/v1/events/stream", nil),
        "POST /api/v1/auth/login": ("/api/v1/auth/login", "{}"),
        "POST /api/v1/auth/refresh": ("/api/v1/auth/refresh", "{}"),
        "POST /api/v1/auth/logout": ("/api/v1/auth/logout", nil),
        "POST /api/v1/auth/token": ("/api/v1/auth/token", "grant_type=client_credentials"),
        "GET /metrics": ("/metrics", nil),
        "GET /openapi.json": ("/openapi.json", nil),
        "GET /docs": ("/docs", nil),
    ]

    /// A caller of the matrix: the fields it sends and what the access layer should make of them.
    struct Caller {
        enum Kind {
            case none
            case valid(Role)
            case invalid
        }

        var name: String
        var headers: [String: String]
        var kind: Kind
    }

    /// What the access layer should answer `caller` on `route` over `transport`: nil when it lets the request through
    /// (the route then answers as it does), else 401 or 403.
    static func expectedRefusal(_ route: APIRoute, _ caller: Caller, unixTrusted: Bool? = nil) -> Int? {
        if route.permission == .anyone { return nil }
        switch caller.kind {
        case .invalid:
            return 401
        case .valid(let role):
            return role.permissions.contains(route.permission) ? nil : 403
        case .none:
            if unixTrusted == true { return nil }
            return AnonymousRoute.defaults.contains { $0.matches(method: route.method.rawValue, path: Self.requests[route.key]!.path) }
                ? nil : 401
        }
    }

    struct Answer {
        var status: Int
        var text: String
    }

    /// One request on a connection of its own. The event stream never ends: its head is read, then the connection
    /// is closed.
    static func send(
        _ route: APIRoute, _ caller: Caller, port: Int? = nil, unixPath: String? = nil
    ) async throws -> Answer {
        let (path, body) = try #require(requests[route.key], "\(route.key) has no request in the matrix")
        var headers = caller.headers
        if let body { headers["Content-Type"] = body.hasPrefix("{") ? "application/json" : "application/x-www-form-urlencoded" }
        if route.key == "GET /api/v1/events/stream" {
            let fields = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
            let raw = try await RawSocket.offThread {
                let socket = try RawSocket(port: port, unixPath: unixPath)
                socket.setTimeout(milliseconds: 1_000)
                socket.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\(fields)\r\n")
                return socket.receiveAll().bytes
            }
            let text = String(decoding: raw, as: UTF8.self)
            let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            return Answer(status: status, text: text)
        }
        let answer = try await PlainHTTP.request(
            route.method.rawValue, path, port: port, unixPath: unixPath, headers: headers, body: body.map { Array($0.utf8) })
        let text =
            answer.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n" + String(decoding: answer.body, as: UTF8.self)
        return Answer(status: answer.status, text: text)
    }

    /// Checks `answer` against the expected refusal; a request let through must not fail on the server's side.
    static func check(_ answer: Answer, _ route: APIRoute, _ caller: Caller, _ expected: Int?, _ transport: String) {
        let context = "\(transport) \(route.key) as \(caller.name): \(answer.status) \(answer.text.prefix(300))"
        if let expected {
            #expect(answer.status == expected, "\(context)")
            if expected == 401 {
                #expect(answer.text.lowercased().contains("www-authenticate: bearer"), "\(context)")
            }
            if expected == 403 { #expect(answer.text.contains(route.permission.rawValue), "\(context)") }
        } else if route.permission == .anyone {
            // These routes check what they are sent themselves and may refuse it (the OAuth route answers 401
            // invalid_client to a bearer token), but never in the access layer's words.
            #expect(![403, 429].contains(answer.status) && answer.status < 500, "\(context)")
            #expect(!answer.text.contains(#""code":"unauthorized""#) && !answer.text.contains(#""code":"invalid_token""#), "\(context)")
        } else {
            #expect(![401, 403, 429].contains(answer.status) && answer.status < 500, "\(context)")
            if route.method == .get { #expect(answer.status == 200, "\(context)") }
        }
    }

    static func writeConfig(_ f: Fixture, _ name: String, passwordHash: String, apiKey: String, more: String = "") throws -> String {
        let users = Self.users.map { "    - { username: \($0.name), password_hash: \"\(passwordHash)\", role: \($0.role.rawValue) }" }
        let config =
            try String(contentsOfFile: f.configPath, encoding: .utf8) + """

                auth:
                  jwt_secret: "\(secret)"
                  users:
                \(users.joined(separator: "\n"))
                  api_keys:
                    - { name: grafana, key_hash: \(APIKey.hash(apiKey)), role: metrics_viewer }
                  clients:
                    - { client_id: etl, secret_hash: "\(passwordHash)", role: partnership_manager }
                \(more)
                rate_limits: { metrics: 1000000/s, decisions: 1000000/s, content: 1000000/s, reports: 1000000/s, default: 1000000/s }
                """
        f.folder.write(name, config)
        return f.folder.file(name)
    }

    /// The callers: nobody, each role by a token from its login, an API key, and tokens that must be refused.
    static func callers(port: Int, apiKey: String) async throws -> (callers: [Caller], secrets: [String]) {
        var callers = [Caller(name: "nobody", headers: [:], kind: .none)]
        var secrets = [password, secret, apiKey]
        for user in users {
            let answer = try await PlainHTTP.request(
                "POST", "/api/v1/auth/login", port: port, headers: ["Content-Type": "application/json"],
                body: Array(#"{"username": "\#(user.name)", "password": "\#(password)"}"#.utf8))
            #expect(answer.status == 200, "login \(user.name)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
            let access = try #require(object["access_token"] as? String)
            secrets += [access, try #require(object["refresh_token"] as? String)]
            callers.append(
                Caller(name: "\(user.role.rawValue) token", headers: ["Authorization": "Bearer \(access)"], kind: .valid(user.role)))
        }
        callers.append(Caller(name: "metrics_viewer API key", headers: ["X-API-Key": apiKey], kind: .valid(.metricsViewer)))
        // An OAuth client of the partnership_manager role, its secret the users' password.
        let grant = try await PlainHTTP.request(
            "POST", "/api/v1/auth/token", port: port,
            headers: [
                "Content-Type": "application/x-www-form-urlencoded",
                "Authorization": "Basic " + Data("etl:\(password.replacingOccurrences(of: " ", with: "+"))".utf8).base64EncodedString(),
            ], body: Array("grant_type=client_credentials".utf8))
        #expect(grant.status == 200, "client token: \(String(decoding: grant.body, as: UTF8.self))")
        let clientToken = try #require(
            (try JSONSerialization.jsonObject(with: Data(grant.body)) as? [String: Any])?["access_token"] as? String)
        secrets.append(clientToken)
        callers.append(
            Caller(
                name: "partnership_manager OAuth client", headers: ["Authorization": "Bearer \(clientToken)"],
                kind: .valid(.partnershipManager)))

        let settings = TokenSettings(
            secret: Array(secret.utf8), issuer: "devskyyd", audience: "devskyy-api", accessTTL: .seconds(60), refreshTTL: .seconds(60))
        // Issued two hours ago with a one-minute life.
        let past = try await TokenService(settings: settings, now: { TokenService.systemNow() - 7_200 })
        let expired = try await past.issueAccess(subject: "ada", role: .orchestrationAdmin).token
        // The viewer's token with its role claim raised to admin, signature kept.
        let viewer = try #require(callers.first { $0.name == "metrics_viewer token" }?.headers["Authorization"]?.dropFirst(7))
        let parts = viewer.split(separator: ".").map(String.init)
        let payload = String(decoding: try #require(Base64URL.decode(parts[1][...])), as: UTF8.self)
        let raised = payload.replacingOccurrences(of: #""role":"metrics_viewer""#, with: #""role":"orchestration_admin""#)
        #expect(raised != payload, "the claim to tamper with: \(payload)")
        let tampered = [parts[0], Base64URL.encode(Array(raised.utf8)), parts[2]].joined(separator: ".")
        let none = [Base64URL.encode(Array(#"{"alg":"none","typ":"at+jwt"}"#.utf8)), Base64URL.encode(Array(raised.utf8)), ""].joined(
            separator: ".")
        for (name, token) in [("expired token", expired), ("tampered token", tampered), ("alg none token", none)] {
            callers.append(Caller(name: name, headers: ["Authorization": "Bearer \(token)"], kind: .invalid))
            secrets.append(token)
        }
        callers.append(Caller(name: "unknown API key", headers: ["X-API-Key": APIKey.generate()], kind: .invalid))
        return (callers, secrets)
    }

    /// Routes in the order walked: the logout last, since it ends the session of the token that calls it.
    static var routes: [APIRoute] {
        APIRoutes.all.filter { $0.key != APIRoutes.logout.key } + [APIRoutes.logout]
    }

    @Test func everyRouteAnswersEveryCallerAsThePermissionTableSays() async throws {
        #expect(Set(Self.requests.keys) == Set(APIRoutes.all.map(\.key)), "the matrix's requests and the router's routes differ")
        let hash = try PasswordHasher.makeHash(Self.password, cost: 10)
        let apiKey = APIKey.generate()
        try await Fixture.run { f in
            let path = try Self.writeConfig(f, "matrix.yaml", passwordHash: hash, apiKey: apiKey)
            let daemon = try f.start(config: path, systemd: false)
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil }, "\(daemon.stderrSoFar)")
            let (callers, secrets) = try await Self.callers(port: f.tcpPort, apiKey: apiKey)
            var answers: [String] = []
            // The Unix socket, trusted: no credentials act as the admin; refused credentials are still refused. First,
            // while the viewer's token is still valid: the TCP walk ends each token's session with its logout.
            for caller in [callers[0], callers[3], callers[callers.count - 2]] {
                for route in Self.routes where route.key != APIRoutes.logout.key {
                    let answer = try await Self.send(route, caller, unixPath: f.socketPath)
                    Self.check(answer, route, caller, Self.expectedRefusal(route, caller, unixTrusted: true), "unix")
                    answers.append(answer.text)
                }
            }
            for caller in callers {
                for route in Self.routes {
                    let answer = try await Self.send(route, caller, port: f.tcpPort)
                    Self.check(answer, route, caller, Self.expectedRefusal(route, caller), "tcp")
                    answers.append(answer.text)
                }
            }
            Self.expectNoSecret(secrets, in: answers + [daemon.stderrSoFar])
        }
    }

    @Test func theUnixSocketAsksForTokensWhenConfiguredTo() async throws {
        let hash = try PasswordHasher.makeHash(Self.password, cost: 10)
        let apiKey = APIKey.generate()
        try await Fixture.run { f in
            let path = try Self.writeConfig(f, "unix-token.yaml", passwordHash: hash, apiKey: apiKey, more: "  unix_socket: token")
            let daemon = try f.start(config: path, systemd: false)
            #expect(
                await eventually(timeout: .seconds(20)) { (try? f.tcp("/api/v1/orchestration/health").status) == 200 },
                "\(daemon.stderrSoFar)")
            let (callers, secrets) = try await Self.callers(port: f.tcpPort, apiKey: apiKey)
            var answers: [String] = []
            for caller in callers {
                for route in Self.routes where route.key != APIRoutes.logout.key {
                    let answer = try await Self.send(route, caller, unixPath: f.socketPath)
                    Self.check(answer, route, caller, Self.expectedRefusal(route, caller, unixTrusted: false), "unix (token)")
                    answers.append(answer.text)
                }
            }
            Self.expectNoSecret(secrets, in: answers + [daemon.stderrSoFar])
        }
    }

    /// No credential, whole or in part (the signature of a token, the payload), in any of `texts`.
    static func expectNoSecret(_ secrets: [String], in texts: [String]) {
        // A token's first part is its header, the same for every token and no secret.
        let pieces = secrets.flatMap { secret in
            [secret] + secret.split(separator: ".").dropFirst().filter { $0.count >= 16 }.map(String.init)
        }
        for piece in Set(pieces) {
            let found = texts.filter { $0.contains(piece) }
            #expect(found.isEmpty, "a credential (\(piece.count) characters) appears in: \(found.map { $0.prefix(200) })")
        }
    }
}
