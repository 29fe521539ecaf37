import DevSkyyCore
import DevSkyyServer
import DevSkyyTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The access layer in front of the real router and listeners (fast path included), on TCP and the Unix socket.
/// Credentials here are resolved by a table (the token, key and client checks have suites of their own): what is
/// under test is that every answer follows the policy, whichever of the router or the fast path gives it.
@Suite struct AccessOverHTTPTests {
    static let callers: [String: Identity] = [
        "Bearer admin-token": Identity(subject: "ada", kind: .user, role: .orchestrationAdmin),
        "Bearer viewer-token": Identity(subject: "vic", kind: .user, role: .metricsViewer),
        "Bearer content-token": Identity(subject: "cat", kind: .client, role: .contentManager),
    ]

    /// The table as a resolver, for the router and the fast path alike.
    @Sendable static func lookUp(_ fields: HTTPFields) -> AccessPolicy.Credentials {
        if let key = fields[HTTPField.Name("X-API-Key")!] { return callers["Key \(key)"].map { .valid($0) } ?? .invalid }
        guard let authorization = fields[.authorization] else { return .none }
        return callers[authorization].map { .valid($0) } ?? .invalid
    }

    private func serve(unixSocketTrusted: Bool = true, _ body: (BothTransports) async throws -> Void) async throws {
        let policy = AccessPolicy(
            anonymous: AnonymousRoute.defaults, unixSocketTrusted: unixSocketTrusted,
            allowsHost: { ["localhost", "127.0.0.1"].contains($0) })
        let access = AccessControl(policy: policy, resolveNow: Self.lookUp) { request, _ in Self.lookUp(request.headers) }
        let store = SnapshotStore(orchestrationSnapshot(try orchestrationConfig()))
        let router = QueryRouter.build(store: store, explain: { _ in nil }, access: access)
        try await BothTransports.with(router, server: QueryListeners.server(store: store, access: access), body)
    }

    @Test func withoutCredentialsTCPAnswersOnlyTheAnonymousRoutes() async throws {
        try await serve { served in
            for path in ["/metrics", "/api/v1/orchestration/health"] {
                #expect(try await served.send("GET", path).tcp.status == 200, "\(path)")
            }
            for path in [
                "/api/v1/collectors", "/api/v1/orchestration/metrics", "/api/v1/orchestration/status", "/openapi.json", "/nowhere",
            ] {
                let answer = try await served.send("GET", path).tcp
                #expect(answer.status == 401, "\(path)")
                #expect(answer.headers["www-authenticate"] == #"Bearer realm="devskyy""#, "\(path)")
                #expect(String(decoding: answer.body, as: UTF8.self).contains(#""code":"unauthorized""#), "\(path)")
            }
        }
    }

    /// `/api/v1/collectors` and `/api/v1/orchestration/metrics` are the fast path's: it must hand them to the router.
    @Test func rolesGetWhatTheirPermissionsAllowOnTheFastPathsRoutesToo() async throws {
        try await serve { served in
            let viewer = ["Authorization": "Bearer viewer-token"]
            #expect(try await served.send("GET", "/api/v1/orchestration/metrics", headers: viewer).tcp.status == 200)
            let collectors = try await served.send("GET", "/api/v1/collectors", headers: viewer).tcp
            #expect(collectors.status == 403)
            #expect(String(decoding: collectors.body, as: UTF8.self).contains("orchestration:read"))
            let content = ["Authorization": "Bearer content-token"]
            #expect(try await served.send("GET", "/api/v1/orchestration/metrics", headers: content).tcp.status == 403)
            #expect(try await served.send("GET", "/api/v1/orchestration/health", headers: content).tcp.status == 200)
            let admin = ["Authorization": "Bearer admin-token"]
            #expect(try await served.send("GET", "/api/v1/collectors", headers: admin).tcp.status == 200)
            // The configuration: the admin gets past the access layer (503: this router has no configuration).
            #expect(try await served.send("GET", "/api/v1/orchestration/config", headers: admin).tcp.status == 503)
            #expect(try await served.send("GET", "/api/v1/orchestration/config", headers: viewer).tcp.status == 403)
        }
    }

    @Test func refusedCredentialsAre401EvenOnAnonymousRoutes() async throws {
        try await serve { served in
            for path in ["/metrics", "/api/v1/orchestration/health", "/api/v1/collectors"] {
                let answer = try await served.send("GET", path, headers: ["Authorization": "Bearer forged"]).tcp
                #expect(answer.status == 401, "\(path)")
                #expect(answer.headers["www-authenticate"] == #"Bearer realm="devskyy", error="invalid_token""#, "\(path)")
            }
        }
    }

    @Test func theUnixSocketIsTheAdminUnlessConfiguredToAskForTokens() async throws {
        try await serve { (served: BothTransports) async throws in
            #expect(try await served.send("GET", "/api/v1/collectors").unix.status == 200)
            #expect(try await served.send("GET", "/api/v1/orchestration/status").unix.status == 200)
        }
        try await serve(unixSocketTrusted: false) { (served: BothTransports) async throws in
            #expect(try await served.send("GET", "/api/v1/collectors").unix.status == 401)
            #expect(try await served.send("GET", "/metrics").unix.status == 200)
        }
    }

    /// DNS rebinding: a page that resolves its own name to 127.0.0.1 sends its own `Host`. Neither the router nor the
    /// fast path answers it.
    @Test func aForeignHostIs421OnTCPWhateverThePath() async throws {
        try await serve { served in
            for path in ["/metrics", "/api/v1/orchestration/health", "/api/v1/collectors"] {
                let raw = "GET \(path) HTTP/1.1\r\nHost: attacker.example:9464\r\nConnection: close\r\n\r\n"
                let answers = try await PlainHTTP.pipelined(Array(raw.utf8), port: served.tcp.port)
                #expect(answers.map(\.status) == [421], "\(path)")
            }
        }
    }

    /// Requests kept alive reach the fast path (`Connection: close` sends a request to the router): each is sent
    /// ahead of a closing one, and its own answer is returned.
    private func keptAlive(
        _ path: String, headers: [String: String] = [:], host: String = "localhost", port: Int? = nil, unixPath: String? = nil
    ) async throws -> PlainHTTP.Answer? {
        let fields = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        let raw =
            "GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\(fields)\r\n"
            + "GET /api/v1/orchestration/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        return try await PlainHTTP.pipelined(Array(raw.utf8), port: port, unixPath: unixPath).first
    }

    /// The fast path answers only what the policy opens without credentials; everything else goes to the router.
    @Test func theFastPathAnswersNothingThePolicyWouldRefuse() async throws {
        try await serve { (served: BothTransports) async throws in
            let port = served.tcp.port
            #expect(try await keptAlive("/api/v1/collectors", port: port)?.status == 401)
            #expect(try await keptAlive("/api/v1/orchestration/metrics/technical", port: port)?.status == 401)
            #expect(try await keptAlive("/api/v1/collectors", headers: ["Authorization": "Bearer viewer-token"], port: port)?.status == 403)
            #expect(try await keptAlive("/metrics", headers: ["Authorization": "Bearer forged"], port: port)?.status == 401)
            #expect(try await keptAlive("/metrics", headers: ["X-API-Key": "forged"], port: port)?.status == 401)
            #expect(try await keptAlive("/metrics", host: "attacker.example", port: port)?.status == 421)
            #expect(try await keptAlive("/metrics", port: port)?.status == 200)
            #expect(try await keptAlive("/api/v1/collectors", headers: ["Authorization": "Bearer admin-token"], port: port)?.status == 200)
            #expect(try await keptAlive("/api/v1/collectors", unixPath: served.unixPath)?.status == 200)
        }
    }
}
