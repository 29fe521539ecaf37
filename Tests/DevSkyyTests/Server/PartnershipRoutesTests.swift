import DevSkyyCollect
import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import Testing

/// Two partnerships from the configuration: `technical` with two deliverables and a critical uptime, `brand` with none.
private func snapshot() -> Snapshot {
    let config = DaemonConfig(
        partnerships: [
            Partnership(
                id: "technical", name: "Claude + Cursor Technical Engine", kind: .technical, keyMetric: "system_uptime",
                deliverables: [
                    .init(id: "microservices_architecture", name: "Microservices architecture"),
                    .init(id: "ai_personalization_engine", name: "AI personalization engine"),
                ]),
            Partnership(id: "brand", name: "Brand", kind: .brand),
        ],
        collectors: [.init(name: "api", partnership: "technical", url: "http://x/", metrics: [.init(name: "system_uptime", path: "a")])],
        thresholds: [.init(partnership: "technical", metric: "system_uptime", critical: .init(below: 99))]
    )
    var state = LiveState(config: config, startedAt: 0)
    state.recordSuccess(
        collector: "api", samples: [Sample(partnership: "technical", metric: "system_uptime", timestamp: 1_000, value: 98.5)], at: 1_000,
        duration: .milliseconds(5))
    state.recordRedis(up: true, error: nil)
    return state.snapshot(now: 2_000)
}

/// The events the routes recorded, in order.
private final class Recorded: Sendable {
    private let events = NIOLockedValueBox<[HealthEvent]>([])

    func add(_ batch: [HealthEvent]) { events.withLockedValue { $0 += batch } }
    var all: [HealthEvent] { events.withLockedValue { $0 } }
}

/// The query router with a deliverable store whose changes go to an event log, served on loopback or a Unix socket.
private struct ServedPartnerships {
    let base: String
    let unixPath: String?
    let recorded: Recorded
    let log: EventLog?

    static func with(
        redis: RedisServer?, prefix: String, unixPath: String? = nil, _ body: (ServedPartnerships) async throws -> Void
    ) async throws {
        let client = try redis.map { try $0.client() }
        let keys = RedisKeys(prefix: prefix)
        let log = client.map { EventLog(client: $0, keys: keys, retryInterval: .milliseconds(50), logger: Logger(label: "test")) }
        let recorded = Recorded()
        // What the daemon does with the changes: the events stream (and the live hub).
        let dependencies = client.map { client in
            PartnershipDependencies(deliverables: DeliverableStore(client: client, keys: keys)) { events in
                recorded.add(events)
                log?.append(events)
            }
        }
        let router = QueryRouter.build(
            store: SnapshotStore(snapshot()), explain: { _ in nil }, events: log, partnerships: dependencies)
        let served = try await ServedRouter.start(router, unixPath: unixPath)
        let writer = Task { await log?.run() }
        defer {
            served.stop()
            writer.cancel()
        }
        let port = served.port
        let base = unixPath == nil ? "http://127.0.0.1:\(port)" : "http://localhost"
        try await body(ServedPartnerships(base: base, unixPath: unixPath, recorded: recorded, log: log))
    }

    var events: [HealthEvent] { recorded.all }

    /// Sends a request with libcurl on a thread of its own (see `SeriesRoutesTests`).
    func send(
        _ method: String, _ path: String, body: String? = nil, headers: [String: String] = ["Content-Type": "application/json"]
    ) async throws -> (status: Int, json: [String: Any], body: String) {
        let request = FetchRequest(
            url: base + path, method: method, body: body.map { Array($0.utf8) }, headers: body == nil ? [:] : headers,
            timeout: .seconds(5), unixSocketPath: unixPath)
        let response = try await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: fetchBlocking(request)) }.start()
        }.get()
        #expect(response.contentType == "application/json", "\(method) \(path)")
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        return (response.status, json, String(decoding: response.body, as: UTF8.self))
    }

    func get(_ path: String) async throws -> (status: Int, json: [String: Any], body: String) {
        try await send("GET", path)
    }

    func put(_ deliverable: String, _ body: String, partnership: String = "technical", headers: [String: String]? = nil)
        async throws -> (status: Int, json: [String: Any], body: String)
    {
        let path = "/api/v1/partnerships/\(partnership)/deliverables/\(deliverable)"
        if let headers { return try await send("PUT", path, body: body, headers: headers) }
        return try await send("PUT", path, body: body)
    }
}

/// The error answer's parts; every one says `"status":"error"`.
private func apiError(_ answer: (status: Int, json: [String: Any], body: String)) -> ErrorAnswer {
    let error = ErrorAnswer(answer.json)
    #expect(error.status == "error", "\(answer.body)")
    return error
}

@Suite("Partnership routes over HTTP")
struct PartnershipRoutesTests {
    @Test func listsPartnershipsInSeed001sShapeWithDefaultProgress() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let health = snapshot().partnerships[0].health
        let brand = snapshot().partnerships[1].health
        try await ServedPartnerships.with(redis: redis, prefix: "pr1") { served in
            let answer = try await served.get("/api/v1/partnerships/")
            #expect(answer.status == 200)
            #expect(
                answer.body
                    == #"{"partnerships":[{"deliverables":[{"completion_percentage":0,"id":"microservices_architecture","last_updated":null,"name":"Microservices architecture","progress":0,"status":"not_started"},{"completion_percentage":0,"id":"ai_personalization_engine","last_updated":null,"name":"AI personalization engine","progress":0,"status":"not_started"}],"health":"\#(health.label.rawValue)","id":"technical","last_updated":"1970-01-01T00:00:01Z","name":"Claude + Cursor Technical Engine","progress":0,"score":\#(health.score.compactText),"type":"technical"},{"deliverables":[],"health":"\#(brand.label.rawValue)","id":"brand","last_updated":null,"name":"Brand","progress":null,"score":\#(brand.score.compactText),"type":"brand"}]}"#
            )
            #expect(try await served.get("/api/v1/partnerships").body == answer.body, "with or without the trailing slash")
        }
    }

    @Test func putStoresProgressRecordsAnEventAndEveryRouteShowsIt() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedPartnerships.with(redis: redis, prefix: "pr2") { served in
            let first = try await served.put(
                "microservices_architecture", #"{"completion_percentage": 60, "status": "in_progress"}"#)
            #expect(first.status == 200, "\(first.body)")
            #expect(first.json["id"] as? String == "microservices_architecture")
            #expect(first.json["completion_percentage"] as? Double == 60)
            #expect(first.json["status"] as? String == "in_progress")
            let stamped = try #require(first.json["last_updated"] as? String)
            #expect(stamped.hasSuffix("Z") && stamped.count == 20, "ISO 8601 UTC: \(stamped)")

            // Only the status, then only the completion; the seed's own example body (with last_updated) is accepted.
            #expect(try await served.put("ai_personalization_engine", #"{"status": "Design review"}"#).status == 200)
            let seedExample = try await served.put(
                "ai_personalization_engine",
                #"{"completion_percentage": 82.5, "status": "Implementation 82.5% complete", "last_updated": "2024-10-25T10:30:00Z"}"#)
            #expect(seedExample.status == 200, "\(seedExample.body)")
            #expect(try await served.put("microservices_architecture", #"{"completion_percentage": 60}"#).status == 200)

            #expect(
                served.events.map { "\($0.kind.rawValue) \($0.entity) \($0.from)→\($0.to): \($0.reason)" } == [
                    "deliverable technical/microservices_architecture 0→60: completion 0 → 60, status not_started → in_progress",
                    "deliverable technical/ai_personalization_engine 0→0: completion 0, status not_started → Design review",
                    "deliverable technical/ai_personalization_engine 0→82.5: completion 0 → 82.5, status Design review → Implementation 82.5% complete",
                ], "an update that changes nothing records nothing")
            #expect(served.events.allSatisfy { $0.partnership == "technical" && $0.metric == nil })

            let list = try await served.get("/api/v1/partnerships")
            let technical = try #require((list.json["partnerships"] as? [[String: Any]])?.first)
            #expect(technical["progress"] as? Double == 71.25, "the mean of 60 and 82.5")
            let progress = (technical["deliverables"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "") \($0["progress"] ?? "")" }
            #expect(progress == ["microservices_architecture 60", "ai_personalization_engine 82.5"])

            let deliverables = try await served.get("/api/v1/partnerships/technical/deliverables")
            #expect(deliverables.status == 200)
            #expect(deliverables.json["partnership_id"] as? String == "technical")
            #expect(deliverables.json["progress"] as? Double == 71.25)
            let items = deliverables.json["deliverables"] as? [[String: Any]] ?? []
            #expect(items.map { $0["status"] as? String } == ["in_progress", "Implementation 82.5% complete"])
            #expect(items.map { $0["completion_percentage"] as? Double } == [60, 82.5])

            // The events reach the stream with their new kind, as the events route reads them back.
            guard let log = served.log else { throw TestSupportError("no event log") }
            #expect(await eventually { log.stats.appended == 3 })
            let stored = try await served.get("/api/v1/events")
            let kinds = ((stored.json["data"] as? [String: Any])?["events"] as? [[String: Any]] ?? []).map { $0["kind"] as? String }
            #expect(kinds == ["deliverable", "deliverable", "deliverable"])

            // A server started afresh on the same Redis keys reads the same progress.
            try await ServedPartnerships.with(redis: redis, prefix: "pr2") { again in
                let reread = try await again.get("/api/v1/partnerships/technical/deliverables")
                #expect(reread.body == deliverables.body)
            }
        }
    }

    @Test func statusGivesHealthReasonsKeyMetricAndProgress() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let view = snapshot().partnerships[0]
        try await ServedPartnerships.with(redis: redis, prefix: "pr3") { served in
            _ = try await served.put("microservices_architecture", #"{"completion_percentage": 50}"#)
            let answer = try await served.get("/api/v1/partnerships/technical/status")
            #expect(answer.status == 200)
            #expect(answer.json["id"] as? String == "technical")
            #expect(answer.json["health"] as? String == view.health.label.rawValue)
            #expect(answer.json["score"] as? Double == view.health.score)
            #expect(answer.json["key_metric"] as? String == "system_uptime")
            #expect(answer.json["uptime"] as? Double == 98.5, "the seed's type-specific field")
            #expect(answer.json["progress"] as? Double == 25)
            let reasons = answer.json["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.map { $0["metric"] as? String } == ["system_uptime"])
            #expect(reasons.first?["state"] as? String == "critical")
            let updated = try #require(answer.json["last_updated"] as? String)
            #expect(updated != "1970-01-01T00:00:01Z", "the deliverable update is newer than the last sample")

            let brand = try await served.get("/api/v1/partnerships/brand/status")
            #expect(brand.status == 200)
            #expect(brand.json["progress"] is NSNull && brand.json["engagement"] is NSNull)
        }
    }

    @Test func unknownPartnershipsAndDeliverablesAre404() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedPartnerships.with(redis: redis, prefix: "pr4") { served in
            for path in ["/api/v1/partnerships/nope/status", "/api/v1/partnerships/nope/deliverables"] {
                let answer = try await served.get(path)
                #expect(answer.status == 404)
                #expect(apiError(answer).code == "not_found")
                #expect(apiError(answer).message == "no partnership 'nope'")
            }
            let partnership = try await served.put("microservices_architecture", #"{"completion_percentage": 1}"#, partnership: "nope")
            #expect(partnership.status == 404)
            #expect(apiError(partnership).message == "no partnership 'nope'")
            let deliverable = try await served.put("nope", #"{"completion_percentage": 1}"#)
            #expect(deliverable.status == 404)
            #expect(apiError(deliverable).code == "not_found")
            #expect(apiError(deliverable).message == "partnership 'technical' has no deliverable 'nope'")
            #expect(try await served.put("nope", "not json").status == 404, "the resource is checked before the body")
            #expect(served.events.isEmpty)
        }
    }

    static let invalidBodies: [(body: String, field: String, message: String)] = [
        (#"{"completion_percentage": 101}"#, "completion_percentage", "completion_percentage: must be from 0 to 100, not 101"),
        (#"{"completion_percentage": -0.5}"#, "completion_percentage", "completion_percentage: must be from 0 to 100, not -0.5"),
        (
            #"{"completion_percentage": "60"}"#, "completion_percentage",
            #"completion_percentage: must be a number from 0 to 100, not a string ("60")"#
        ),
        (
            #"{"completion_percentage": true}"#, "completion_percentage",
            "completion_percentage: must be a number from 0 to 100, not a boolean (true)"
        ),
        (#"{"completion_percentage": null}"#, "completion_percentage", "completion_percentage: must be a number from 0 to 100, not null"),
        (#"{"status": 5}"#, "status", "status: must be a string, not a number (5)"),
        (#"{"status": ""}"#, "status", "status: must not be empty"),
        (#"{"status": "a\nb"}"#, "status", "status: must not hold control characters (newlines, tabs)"),
        (#"{"status": "\#(String(repeating: "x", count: 201))"}"#, "status", "status: must be at most 200 characters, not 201"),
        (#"{"completion": 60}"#, "completion", "completion: unknown field (known: completion_percentage, status, last_updated)"),
        (#"{"status": "ok", "owner": "me"}"#, "owner", "owner: unknown field (known: completion_percentage, status, last_updated)"),
        (
            #"{"status": "ok", "last_updated": "yesterday"}"#, "last_updated",
            #"last_updated: must be an ISO 8601 UTC time such as 2025-10-25T10:30:00Z, not a string ("yesterday")"#
        ),
        (#"{}"#, "body", "body: give completion_percentage, status or both"),
        (#"[60]"#, "body", "body: must be a JSON object, not an array"),
        (#""60""#, "body", #"body: must be a JSON object, not a string ("60")"#),
    ]

    @Test func badUpdatesAreRefusedNamingTheFieldAndNothingIsStored() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedPartnerships.with(redis: redis, prefix: "pr5") { served in
            for (body, field, message) in Self.invalidBodies {
                let answer = try await served.put("microservices_architecture", body)
                #expect(answer.status == 422, "\(body): \(answer.body)")
                #expect(apiError(answer).code == "invalid_field", "\(body)")
                #expect(apiError(answer).field == field, "\(body)")
                #expect(apiError(answer).message == message, "\(body)")
            }
            for (malformed, message) in [
                (#"{"completion_percentage": 60"#, "unexpected end inside an object at byte 28"),
                ("", "unexpected end of the document at byte 0"), ("{'status': 'x'}", "expected a quoted key at byte 1"),
            ] {
                let answer = try await served.put("microservices_architecture", malformed)
                #expect(answer.status == 400, "\(malformed): \(answer.body)")
                #expect(apiError(answer).code == "malformed_json")
                #expect(apiError(answer).message == "the body is not valid JSON: \(message)", "where it went wrong")
            }
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/jsonx"] {
                let answer = try await served.put(
                    "microservices_architecture", #"{"status":"x"}"#, headers: ["Content-Type": contentType])
                #expect(answer.status == 415, "\(contentType)")
                #expect(apiError(answer).code == "unsupported_media_type")
                #expect(apiError(answer).message == "Content-Type must be application/json")
            }
            let charset = try await served.put(
                "microservices_architecture", #"{"status":"x"}"#, headers: ["Content-Type": "application/json; charset=utf-8"])
            #expect(charset.status == 200, "parameters of the media type are fine")

            let huge = #"{"status": ""# + String(repeating: "x", count: 70_000) + #""}"#
            let tooLarge = try await served.put("microservices_architecture", huge)
            #expect(tooLarge.status == 413)
            #expect(apiError(tooLarge).code == "payload_too_large")
            #expect(apiError(tooLarge).message == "the body is larger than 65536 bytes")
            let chunked = try await served.put(
                "microservices_architecture", huge, headers: ["Content-Type": "application/json", "Transfer-Encoding": "chunked"])
            #expect(chunked.status == 413, "without a Content-Length the body is read up to the limit")

            let stored = try await served.get("/api/v1/partnerships/technical/deliverables")
            let statuses = (stored.json["deliverables"] as? [[String: Any]] ?? []).map { $0["status"] as? String }
            #expect(statuses == ["x", "not_started"], "only the one good update was stored")
            #expect(served.events.count == 1)
        }
    }

    @Test func redisAwayIs503WithoutItsErrorText() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedPartnerships.with(redis: redis, prefix: "pr6") { served in
            redis.kill()
            for path in ["/api/v1/partnerships", "/api/v1/partnerships/technical/status", "/api/v1/partnerships/technical/deliverables"] {
                let answer = try await served.get(path)
                #expect(answer.status == 503, "\(path)")
                #expect(apiError(answer).code == "unavailable")
                #expect(apiError(answer).message == "deliverable progress is unavailable: Redis cannot be reached")
                #expect(!answer.body.contains("127.0.0.1") && !answer.body.contains("refused"), "no internal text: \(answer.body)")
            }
            let put = try await served.put("microservices_architecture", #"{"completion_percentage": 10}"#)
            #expect(put.status == 503)
            #expect(apiError(put).code == "unavailable")
            #expect(try await served.put("microservices_architecture", #"{"completion_percentage": 200}"#).status == 422)
            #expect(served.events.isEmpty)
        }
    }

    @Test func withoutADeliverableStoreTheRoutesAnswer503() async throws {
        try await ServedPartnerships.with(redis: nil, prefix: "pr7") { served in
            let answer = try await served.get("/api/v1/partnerships")
            #expect(answer.status == 503)
            #expect(apiError(answer).message == "deliverable progress is unavailable: this server has no deliverable store")
            #expect(try await served.get("/api/v1/partnerships/nope/status").status == 404)
        }
    }

    @Test func servesTheSameOverAUnixSocket() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let folder = TemporaryFolder("pr")
        defer { folder.remove() }
        try await ServedPartnerships.with(redis: redis, prefix: "pr8", unixPath: folder.file("q.sock")) { served in
            #expect(try await served.put("microservices_architecture", #"{"completion_percentage": 30}"#).status == 200)
            let answer = try await served.get("/api/v1/partnerships/technical/status")
            #expect(answer.status == 200)
            #expect(answer.json["progress"] as? Double == 15)
        }
    }

    @Test func devskyyctlListsPartnershipsAndSetsADeliverable() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedPartnerships.with(redis: redis, prefix: "pr9") { served in
            let set = try await DaemonProcess.run(
                "devskyyctl",
                [
                    "deliverable", "technical", "microservices_architecture", "--completion", "60", "--status", "in progress", "--url",
                    served.base,
                ])
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stdout.hasPrefix("technical/microservices_architecture: 60% in progress (updated 20"), "\(set.stdout)")

            let list = try await DaemonProcess.run("devskyyctl", ["partnerships", "--url", served.base])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            }
            #expect(lines.first == ["PARTNERSHIP", "TYPE", "HEALTH", "SCORE", "PROGRESS", "DELIVERABLES", "UPDATED"])
            #expect(lines.contains { $0.starts(with: ["technical", "technical"]) && $0.contains("30%") && $0.contains("2") })
            #expect(lines.contains { $0.starts(with: ["technical", "microservices_architecture", "60%", "in", "progress"]) })
            #expect(lines.contains { $0.starts(with: ["brand", "brand"]) && $0.contains("-") })

            let unknown = try await DaemonProcess.run(
                "devskyyctl", ["deliverable", "technical", "nope", "--completion", "5", "--url", served.base])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("HTTP 404"), "\(unknown.stderr)")
            #expect(unknown.stderr.contains("partnership 'technical' has no deliverable 'nope'"), "\(unknown.stderr)")
            let neither = try await DaemonProcess.run("devskyyctl", ["deliverable", "technical", "x", "--url", served.base])
            #expect(neither.status != 0)
            #expect(neither.stderr.contains("give --completion, --status or both"))
        }
    }
}
