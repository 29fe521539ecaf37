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
        #expect(String(decoding: unknown.body, as: UTF8.self) == #"{"error":{"code":"not_found","message":"no such endpoint"}}"#)
        let wrong = try await listener.fetch("/api/v1/orchestration/status", method: "POST")
        #expect(wrong.status == 405)
        #expect(wrong.headers["allow"] == "GET")
    }
}
