import DevSkyyCore
import DevSkyyServer
import DevSkyyTestSupport
import Hummingbird
import Testing

/// The query router (no Redis) with the given CORS origins.
private func router(origins: [String]) throws -> Router<APIRequestContext> {
    QueryRouter.build(
        store: SnapshotStore(orchestrationSnapshot(try orchestrationConfig())), explain: { _ in nil },
        api: APISettings(corsAllowedOrigins: origins))
}

/// The answer's `Access-Control-*` headers.
private func cors(_ answer: PlainHTTP.Answer) -> [String: String] {
    answer.headers.filter { $0.key.hasPrefix("access-control-") }
}

private let preflight = [
    "Origin": "https://dash.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type",
]
private let deliverable = "/api/v1/partnerships/technical/deliverables/microservices"

@Suite("CORS over TCP and the Unix socket")
struct CORSTests {
    @Test func offByDefaultNoHeaderAndOptionsIs405() async throws {
        try await BothTransports.with(try router(origins: [])) { served in
            for answer in try await [served.send("GET", "/api/v1/orchestration/health", headers: ["Origin": "https://dash.example"])]
                .flatMap({ [$0.tcp, $0.unix] })
            {
                #expect(answer.status == 200)
                #expect(cors(answer).isEmpty && answer.headers["vary"] == nil, "\(answer.headers)")
            }
            let options = try await served.send("OPTIONS", deliverable, headers: preflight)
            for answer in [options.tcp, options.unix] {
                #expect(answer.status == 405)
                #expect(answer.headers["allow"] == "PUT")
                #expect(ErrorAnswer(body: answer.body).code == "method_not_allowed")
                #expect(cors(answer).isEmpty)
            }
        }
    }

    @Test func listedOriginsGetPreflightsAndHeadersOthersNothing() async throws {
        try await BothTransports.with(try router(origins: ["https://dash.example", "http://localhost:3000"])) { served in
            let options = try await served.send("OPTIONS", deliverable, headers: preflight)
            for answer in [options.tcp, options.unix] {
                #expect(answer.status == 204)
                #expect(answer.body.isEmpty)
                #expect(
                    cors(answer) == [
                        "access-control-allow-origin": "https://dash.example",
                        "access-control-allow-methods": "GET, PUT, POST, OPTIONS",
                        "access-control-allow-headers": "Content-Type, If-None-Match, Last-Event-ID, Authorization",
                        "access-control-max-age": "600",
                    ])
                #expect(answer.headers["vary"] == "Origin")
            }
            let origin = ["Origin": "http://localhost:3000"]
            for path in ["/api/v1/orchestration/health", "/openapi.json", "/api/v1/nope", "/api/v1/series"] {
                let answers = try await served.send("GET", path, headers: origin)
                for answer in [answers.tcp, answers.unix] {
                    #expect(answer.headers["access-control-allow-origin"] == "http://localhost:3000", "\(path)")
                    #expect(answer.headers["access-control-expose-headers"] == "ETag", "\(path)")
                    #expect(answer.headers["vary"] == "Origin", "\(path)")
                }
            }
            // A browser reads the tag it may send back: the 304 carries the headers too.
            let first = try await served.send("GET", "/openapi.json", headers: origin).tcp
            let etag = try #require(first.headers["etag"])
            let again = try await served.send("GET", "/openapi.json", headers: origin.merging(["If-None-Match": etag]) { $1 })
            #expect(again.tcp.status == 304 && again.tcp.headers["access-control-allow-origin"] == "http://localhost:3000")

            for unlisted in ["https://evil.example", "https://dash.example:8443", "null"] {
                let get = try await served.send("GET", "/api/v1/orchestration/health", headers: ["Origin": unlisted])
                let options = try await served.send("OPTIONS", deliverable, headers: preflight.merging(["Origin": unlisted]) { $1 })
                for answer in [get.tcp, get.unix, options.tcp, options.unix] {
                    #expect(cors(answer).isEmpty, "\(unlisted): \(answer.headers)")
                }
                #expect(get.tcp.status == 200 && options.tcp.status == 405 && options.unix.status == 405, "\(unlisted)")
                // The answer still depends on the origin, so shared caches must know.
                #expect(get.tcp.headers["vary"] == "Origin")
            }
        }
    }

    @Test func aStarAllowsEveryOriginWithoutVary() async throws {
        try await BothTransports.with(try router(origins: ["*"])) { served in
            let get = try await served.send("GET", "/api/v1/collectors", headers: ["Origin": "https://anything.example"])
            let options = try await served.send("OPTIONS", deliverable, headers: preflight)
            for answer in [get.tcp, get.unix, options.tcp, options.unix] {
                #expect(answer.headers["access-control-allow-origin"] == "*")
                #expect(answer.headers["vary"] == nil)
            }
            #expect(options.tcp.status == 204 && get.tcp.status == 200)
            let plain = try await served.send("GET", "/api/v1/collectors")
            #expect(cors(plain.tcp).isEmpty, "no Origin, no CORS headers")
        }
    }
}
