import DevSkyyCollect
import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Testing

/// The query router with a reader, served by a real `Application` on a loopback port or a Unix socket.
private struct RunningRouter {
    let task: Task<Void, any Error>
    /// `http://127.0.0.1:{port}`, or `http://localhost` with `unixPath`.
    let base: String
    let unixPath: String?

    /// Runs `body` against a started router and stops the router afterwards, whether `body` throws or not.
    static func with<T>(
        reader: TimeSeriesReader?, unixPath: String? = nil, _ body: (RunningRouter) async throws -> T
    ) async throws -> T {
        let server = try await start(reader: reader, unixPath: unixPath)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private static func start(reader: TimeSeriesReader?, unixPath: String?) async throws -> RunningRouter {
        var live = LiveState(config: DaemonConfig())
        let router = QueryRouter.build(store: SnapshotStore(live.snapshot(now: 0)), explain: { _ in nil }, reader: reader)
        let served = try await ServedRouter.start(router, unixPath: unixPath)
        let (task, port) = (served.task, served.port)
        return RunningRouter(task: task, base: unixPath == nil ? "http://127.0.0.1:\(port)" : "http://localhost", unixPath: unixPath)
    }

    /// GETs with libcurl on a thread of its own: on Linux the global dispatch queues and the cooperative pool
    /// share their few threads, and blocking one of them starves the server's handlers (and other tests).
    func get(_ pathAndQuery: String) async throws -> (status: Int, json: [String: Any], body: String) {
        let request = FetchRequest(url: base + pathAndQuery, timeout: .seconds(5), unixSocketPath: unixPath)
        let response = try await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: fetchBlocking(request)) }.start()
        }.get()
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        #expect(response.contentType == "application/json")
        return (response.status, json, String(decoding: response.body, as: UTF8.self))
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A 10-minute boundary an hour ago: the automatic choice reads raw samples, as the real clock allows.
private let base: Int64 = {
    let hourAgo = Timestamp.now() - 3_600_000
    return hourAgo - hourAgo % 600_000
}()

@Suite("Series routes over HTTP")
struct SeriesRoutesTests {
    private func seeded(_ redis: RedisServer, prefix: String) async throws -> TimeSeriesReader {
        let client = RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(redis.url).get(), connectTimeout: .milliseconds(500)))
        let keys = RedisKeys(prefix: prefix)
        let writer = TimeSeriesWriter(
            client: client, keys: keys, retention: .init(raw: .seconds(3_600)), latestTTL: [:], clock: { base + 180_000 })
        try await writer.write([
            Sample(
                partnership: "technical", metric: "followers", labels: [.init("platform", "instagram")], timestamp: base + 60_000, value: 10
            ),
            Sample(
                partnership: "technical", metric: "followers", labels: [.init("platform", "instagram")], timestamp: base + 120_000,
                value: 20),
            Sample(
                partnership: "technical", metric: "followers", labels: [.init("platform", "instagram")], timestamp: base + 660_000,
                value: 0.5),
            Sample(
                partnership: "technical", metric: "followers", labels: [.init("platform", "tiktok")], timestamp: base + 60_000, value: 7),
            Sample(partnership: "brand", metric: "reach", timestamp: base + 60_000, value: 1e-05),
        ])
        return TimeSeriesReader(client: client, keys: keys)
    }

    @Test func listsSeriesWithTheirParts() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await RunningRouter.with(reader: try await seeded(redis, prefix: "h1")) { server in

            let matched = try await server.get("/api/v1/series?match=%7Bplatform%3D%22instagram%22%7D")
            #expect(matched.status == 200)
            #expect(
                matched.body
                    == #"{"data":[{"labels":{"platform":"instagram"},"metric":"followers","name":"technical.followers,platform=instagram","partnership":"technical"}],"status":"success"}"#
            )
            let all = try await server.get("/api/v1/series")
            #expect(all.status == 200)
            let names = (all.json["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["brand.reach", "technical.followers,platform=instagram", "technical.followers,platform=tiktok"])
        }
    }

    @Test func answersARangeThenServesItFromTheCache() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await RunningRouter.with(reader: try await seeded(redis, prefix: "h2")) { server in
            let path =
                "/api/v1/query_range?series=technical.followers%2Cplatform%3Dinstagram&from=\(base)&to=\(base + 1_200_000)&step=10m&agg=avg"
            let first = try await server.get(path)
            #expect(first.status == 200)
            #expect(
                first.body
                    == #"{"data":{"aggregation":"avg","from_ms":\#(base),"resolution":"raw","series":[{"labels":{"platform":"instagram"},"metric":"followers","name":"technical.followers,platform=instagram","partnership":"technical","points":[[\#(base),15],[\#(base + 600_000),0.5]]}],"step_ms":600000,"to_ms":\#(base + 1_200_000)},"status":"success"}"#
            )
            // A sample written now shows in a new query at once, in the cached one only once it expires.
            let client = try redis.client()
            let key = "h2:ts:technical.followers,platform=instagram"
            _ = try await client.command(["ZADD", key, String(base + 180_000), "\(base + 180_000):1000"])
            let second = try await server.get(path)
            #expect(second.body == first.body)
            let fresh = try await server.get(path + "&max_points=999")
            #expect(fresh.body.contains(#""points":[[\#(base),343.3333333333333],[\#(base + 600_000),0.5]]"#), "\(fresh.body)")

            // A selector, times in seconds and RFC 3339, every series it matches.
            let from = Timestamp.iso8601(milliseconds: base)
            let matched = try await server.get(
                "/api/v1/query_range?match=metric%3D~%22foll.*%22&from=\(from)&to=\((base + 1_200_000) / 1_000)&step=1h&agg=sum")
            #expect(matched.status == 200)
            let data = matched.json["data"] as? [String: Any] ?? [:]
            let series = data["series"] as? [[String: Any]] ?? []
            #expect(
                series.compactMap { $0["name"] as? String } == [
                    "technical.followers,platform=instagram", "technical.followers,platform=tiktok",
                ])
            // Summed per hour window (with the sample added above): the samples may straddle an hour boundary, their total may not.
            #expect(series.map { ($0["points"] as? [[Double]] ?? []).map { $0[1] }.reduce(0, +) } == [1_030.5, 7])
        }
    }

    static let badRequests: [(query: String, fragment: String)] = [
        ("series=p.m", "from: is required"),
        ("from=-1h", "series: series (a series name, may repeat) or match (a selector) is required"),
        ("series=p.m&from=yesterday", #"from: "yesterday" is not a time"#),
        ("series=p.m&from=-1h&to=-2h", "to: now-7200000"),
        ("series=p.m&from=-1h&step=0", "step: \"0\" is not a positive duration"),
        ("series=p.m&from=-1h&agg=median", #"agg: unknown aggregation "median""#),
        ("series=p.m&from=-1h&resolution=5m", #"resolution: unknown resolution "5m""#),
        ("series=p.m&from=-1d&step=1s&resolution=raw", "step: a step of 1s over 1d gives 86401 points per series"),
        ("match=%7Bmetric%3D%22x%22&from=-1h", #"match: column 12: expected "}" to close the "{" at column 1"#),
        ("series=p.m&from=-1h&max_points=0", "max_points: must be a whole number from 2 to 11000"),
        ("series=p.m&from=-1h&aggregation=avg", "aggregation: unknown parameter"),
    ]

    @Test func badParametersAre400WithTheErrorShape() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await RunningRouter.with(reader: try await seeded(redis, prefix: "h3")) { server in

            for (query, fragment) in Self.badRequests {
                let answer = try await server.get("/api/v1/query_range?\(query)")
                #expect(answer.status == 400, "\(query)")
                let error = ErrorAnswer(answer.json)
                #expect(error.status == "error")
                #expect(error.code == "invalid_parameter")
                #expect(error.message?.hasPrefix(fragment) == true, "\(query): \(answer.body)")
                #expect(error.field.map { fragment.hasPrefix($0 + ": ") } == true, "\(query): \(answer.body)")
            }
            let badMatch = try await server.get("/api/v1/series?match=a%3D%3D%7B")
            #expect(badMatch.status == 400)
            #expect(ErrorAnswer(badMatch.json).message?.hasPrefix("match: column") == true)
            #expect(ErrorAnswer(badMatch.json).field == "match")
            let unknown = try await server.get("/api/v1/series?metric=x")
            #expect(unknown.status == 400)
            #expect(ErrorAnswer(unknown.json).message == "metric: unknown parameter (known: match)")
            let client = try redis.client()
            #expect(try await client.command(["KEYS", "h3:cache:*"]) == .array([]), "no error is cached")
        }
    }

    @Test func redisDownIs503WithTheErrorShape() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await RunningRouter.with(reader: try await seeded(redis, prefix: "h4")) { server in
            redis.kill()
            for path in ["/api/v1/query_range?series=p.m&from=-1h", "/api/v1/series"] {
                let answer = try await server.get(path)
                #expect(answer.status == 503)
                #expect(
                    ErrorAnswer(answer.json)
                        == ErrorAnswer([
                            "status": "error",
                            "error": ["code": "unavailable", "message": "history is unavailable: Redis cannot be reached"],
                        ]))
            }
            // Bad parameters are still 400: they are checked before Redis is asked.
            #expect(try await server.get("/api/v1/query_range?series=p.m").status == 400)
        }
    }

    @Test func noReaderIs503() async throws {
        try await RunningRouter.with(reader: nil) { server in
            let answer = try await server.get("/api/v1/query_range?series=p.m&from=-1h")
            #expect(answer.status == 503)
            #expect(ErrorAnswer(answer.json).code == "unavailable")
            #expect(ErrorAnswer(answer.json).message == "history is unavailable: this server has no Redis reader")
            #expect(try await server.get("/api/v1/query_range?series=p.m").status == 400, "parameters are checked first")
        }
    }

    @Test func servesTheSameOnAUnixSocket() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let folder = TemporaryFolder("sr")
        defer { folder.remove() }
        try await RunningRouter.with(reader: try await seeded(redis, prefix: "h5"), unixPath: folder.file("q.sock")) { server in
            let listed = try await server.get("/api/v1/series?match=partnership%3Dbrand")
            #expect(listed.status == 200)
            #expect(
                listed.body == #"{"data":[{"labels":{},"metric":"reach","name":"brand.reach","partnership":"brand"}],"status":"success"}"#)
            let range = try await server.get("/api/v1/query_range?series=brand.reach&from=\(base)&to=\(base + 600_000)&step=10m&agg=last")
            #expect(range.status == 200)
            #expect(range.body.contains(#""points":[[\#(base),1e-05]]"#))
        }
    }
}
