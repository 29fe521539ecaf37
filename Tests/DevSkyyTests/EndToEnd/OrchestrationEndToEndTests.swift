import DevSkyyCollect
import DevSkyyCore
import DevSkyyServer
import DevSkyyTestSupport
import Foundation
import Testing

/// The orchestration routes of the built devskyyd, on its Unix socket and on TCP, with real Redis and sources.
@Suite("Orchestration routes end to end", .serialized)
struct OrchestrationEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture

    /// One of the daemon's listeners.
    struct Listener: CustomStringConvertible {
        let description: String
        let port: Int?
        let unixPath: String?

        func fetch(_ path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> PlainHTTP.Answer {
            try await PlainHTTP.request(method, path, port: port, unixPath: unixPath, headers: headers)
        }

        func json(_ path: String) async throws -> Any {
            let response = try await fetch(path)
            #expect(response.status == 200, "\(self) \(path): \(String(decoding: response.body, as: UTF8.self))")
            return try JSONSerialization.jsonObject(with: Data(response.body))
        }

        func object(_ path: String) async throws -> [String: Any] {
            try #require(try await json(path) as? [String: Any])
        }
    }

    @Test func servesStatusConfigReadinessAndCachingOnBothListeners() async throws {
        try await Fixture.run { f in
            let daemon = try f.start(systemd: false)
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()).map(DaemonEndToEndTests.bothUp) ?? false })
            let listeners = [
                Listener(description: "unix", port: nil, unixPath: f.socketPath),
                Listener(description: "tcp", port: f.tcpPort, unixPath: nil),
            ]
            for listener in listeners {
                try await check(listener)
            }
            daemon.signal(SIGTERM)
            let exit = await daemon.wait()
            #expect(exit.status == 0, "\(exit.stderr)")
        }
    }

    /// Every route of the catalog, on both listeners: the same status on each (a success for a valid request),
    /// and the error cases of the routes that take an id, a type or a body, in the one error shape.
    @Test func everyRouteAnswersAlikeOnBothListeners() async throws {
        try await Fixture.run { f in
            let daemon = try f.start(systemd: false)
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()).map(DaemonEndToEndTests.bothUp) ?? false })
            let listeners = [
                Listener(description: "unix", port: nil, unixPath: f.socketPath),
                Listener(description: "tcp", port: f.tcpPort, unixPath: nil),
            ]
            let json = ["Content-Type": "application/json"]
            // (method, path, body, expected status); the stream is left out: it never ends.
            let valid: [String: (String, String?, Int)] = [
                "/api/v1/orchestration/metrics/{partnership_type}": ("/api/v1/orchestration/metrics/technical", nil, 200),
                "/api/v1/partnerships/{id}/status": ("/api/v1/partnerships/technical/status", nil, 200),
                "/api/v1/partnerships/{id}/deliverables": ("/api/v1/partnerships/technical/deliverables", nil, 200),
                // The fixture's partnerships have no deliverables: an unknown one is the answer to check.
                "/api/v1/partnerships/{id}/deliverables/{deliverable_id}": (
                    "/api/v1/partnerships/technical/deliverables/none", #"{"completion_percentage": 5}"#, 404
                ),
                "/api/v1/collectors/{name}/test": ("/api/v1/collectors/technical-file/test", nil, 200),
                "/api/v1/query_range": ("/api/v1/query_range?series=technical.system_uptime&from=-5m", nil, 200),
                // The fixture has no `auth:` section: no logins, and no session to end.
                "/api/v1/auth/login": ("/api/v1/auth/login", #"{"username": "u", "password": "p"}"#, 404),
                "/api/v1/auth/refresh": ("/api/v1/auth/refresh", #"{"refresh_token": "t"}"#, 404),
                "/api/v1/auth/logout": ("/api/v1/auth/logout", nil, 204),
                "/api/v1/auth/token": ("/api/v1/auth/token", "grant_type=client_credentials", 404),
            ]
            for route in EndpointCatalog.all where route.path != "/api/v1/events/stream" {
                let (path, body, expected) = valid[route.path] ?? (route.path, nil, 200)
                var statuses: [Int] = []
                for listener in listeners {
                    let answer = try await PlainHTTP.request(
                        route.method, path, port: listener.port, unixPath: listener.unixPath, headers: body == nil ? [:] : json,
                        body: body.map { Array($0.utf8) })
                    statuses.append(answer.status)
                    if answer.status >= 400 {
                        let error = ErrorAnswer(body: answer.body)
                        #expect(error.status == "error" && error.code != nil && error.message != nil, "\(listener) \(route.method) \(path)")
                    }
                }
                #expect(statuses == [expected, expected], "\(route.method) \(path): \(statuses)")
            }
            // Errors: an unknown type, partnership and collector; a bad body; an unknown route; a wrong method.
            let errors: [(String, String, String?, Int)] = [
                ("GET", "/api/v1/orchestration/metrics/robots", nil, 404),
                ("GET", "/api/v1/partnerships/nobody/status", nil, 404),
                ("POST", "/api/v1/collectors/nobody/test", nil, 404),
                ("PUT", "/api/v1/partnerships/nobody/deliverables/x", #"{"completion_percentage": 5}"#, 404),
                ("GET", "/api/v1/no-such-route", nil, 404),
                ("DELETE", "/api/v1/orchestration/health", nil, 405),
            ]
            for (method, path, body, expected) in errors {
                for listener in listeners {
                    let answer = try await PlainHTTP.request(
                        method, path, port: listener.port, unixPath: listener.unixPath, headers: body == nil ? [:] : json,
                        body: body.map { Array($0.utf8) })
                    #expect(answer.status == expected, "\(listener) \(method) \(path)")
                    let error = ErrorAnswer(body: answer.body)
                    #expect(error.status == "error" && error.code != nil, "\(listener) \(method) \(path): the error shape")
                }
            }
            daemon.signal(SIGTERM)
            #expect(await daemon.wait().status == 0)
        }
    }

    private func check(_ listener: Listener) async throws {
        let status = try await listener.object("/api/v1/orchestration/status")
        #expect(status["version"] as? String == DevSkyyVersion.string, "\(listener)")
        #expect((status["collectors"] as? [String: Any])?["up"] as? Int == 2)
        #expect((status["redis"] as? [String: Any])?["status"] as? String == "up")
        #expect(((status["process"] as? [String: Any])?["rss_bytes"] as? Int ?? 0) > 1_000_000)
        #expect(status["recent_events"] is [Any])

        let config = try await listener.fetch("/api/v1/orchestration/config")
        #expect(config.status == 200)
        let text = String(decoding: config.body, as: UTF8.self)
        #expect(!text.contains("brand-secret-token"), "the expanded header secret never appears")
        #expect(text.contains(#""Authorization":"[redacted]""#))

        // Readiness: Redis written to, both collectors succeeded, the state directory written, both listeners bound.
        var readiness: [String: Any] = [:]
        #expect(
            await eventually {
                readiness = (try? await listener.object("/api/v1/orchestration/deployment/readiness")) ?? [:]
                return readiness["score"] as? Int == 100
            }, "\(listener): \(readiness)")
        #expect(readiness["ready"] as? Bool == true)
        let bound = (readiness["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "listeners_bound" }
        #expect((bound?["detail"] as? String)?.hasPrefix("2 of 2 listeners bound") == true)

        let technical = try #require(try await listener.json("/api/v1/orchestration/metrics/technical") as? [[String: Any]])
        #expect(technical.map { $0["partnership_type"] as? String } == ["technical"])
        #expect((technical.first?["metrics"] as? [String: Any])?["system_uptime"] as? Double == 99.95)
        let partnerships = try #require(try await listener.json("/api/v1/orchestration/partnerships") as? [[String: Any]])
        #expect(partnerships.map { $0["id"] as? String } == ["technical", "brand"])
        let endpoints = try await listener.object("/api/v1/orchestration/docs/endpoints")["endpoints"] as? [[String: String]]
        #expect(endpoints?.count == EndpointCatalog.all.count)

        // Snapshots change every second: a 304 needs the tag of the snapshot still current.
        #expect(
            await eventually {
                guard let tag = (try? await listener.fetch("/api/v1/orchestration/health"))?.headers["etag"] else { return false }
                let again = try? await listener.fetch("/api/v1/orchestration/health", headers: ["If-None-Match": tag])
                return again?.status == 304 && again?.body.isEmpty == true
            }, "\(listener): 304 for the current ETag")
        #expect(try await listener.fetch("/api/v1/orchestration/metrics").headers["cache-control"] == "max-age=30")

        let unknown = try await listener.fetch("/api/v1/nothing-here")
        #expect(unknown.status == 404)
        #expect(
            String(decoding: unknown.body, as: UTF8.self)
                == #"{"error":{"code":"not_found","message":"no such endpoint"},"status":"error"}"#)
        let wrong = try await listener.fetch("/api/v1/orchestration/status", method: "POST")
        #expect(wrong.status == 405)
        #expect(wrong.headers["allow"] == "GET")
    }
}
