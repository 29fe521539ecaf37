import DevSkyyCollect
import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Logging
import ServiceLifecycleTestKit
import Testing

private let base: Int64 = 1_700_000_000_000

private func event(_ offset: Int64, _ to: String = "critical") -> HealthEvent {
    HealthEvent(
        time: base + offset, kind: .metric, entity: "technical.followers", partnership: "technical", metric: "followers", from: "ok",
        to: to, value: 12.5, reason: "followers 12.5 below 100")
}

/// The query router with an event log (its write loop running) and a hub, served on a loopback port.
private struct ServedEvents {
    let port: Int
    let log: EventLog?
    let hub: EventHub
    let client: RedisClient?

    static func with<T>(
        redis: RedisServer?, prefix: String = "er", keepalive: Duration = .seconds(15), hubBuffer: Int = EventHub.defaultBuffer,
        _ body: (ServedEvents) async throws -> T
    ) async throws -> T {
        let client = try redis.map { RedisClient(settings: .init(endpoint: try RedisEndpoint.parse($0.url).get())) }
        let log = client.map {
            EventLog(client: $0, keys: RedisKeys(prefix: prefix), retryInterval: .milliseconds(50), logger: Logger(label: "test"))
        }
        let hub = EventHub(buffer: hubBuffer)
        var live = LiveState(config: DaemonConfig())
        let router = QueryRouter.build(
            store: SnapshotStore(live.snapshot(now: 0)), explain: { _ in nil }, events: log, hub: hub, keepalive: keepalive)
        let served = try await ServedRouter.start(router)
        let writer = Task { await log?.run() }
        defer {
            served.stop()
            writer.cancel()
        }
        let port = served.port
        return try await body(ServedEvents(port: port, log: log, hub: hub, client: client))
    }

    /// Appends and waits until Redis holds the events.
    @discardableResult
    func store(_ events: [HealthEvent]) async throws -> [HealthEvent] {
        guard let log else { throw TestSupportError("no event log") }
        let before = log.stats.appended
        let stamped = log.append(events)
        guard await eventually({ log.stats.appended == before + events.count }) else { throw TestSupportError("not stored") }
        return stamped
    }

    func get(_ pathAndQuery: String) async throws -> (status: Int, json: [String: Any], body: String) {
        let request = FetchRequest(url: "http://127.0.0.1:\(port)" + pathAndQuery, timeout: .seconds(5))
        let response = try await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: fetchBlocking(request)) }.start()
        }.get()
        #expect(response.contentType == "application/json")
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        return (response.status, json, String(decoding: response.body, as: UTF8.self))
    }

    func ids(_ pathAndQuery: String) async throws -> [String] {
        let answer = try await get(pathAndQuery)
        #expect(answer.status == 200, "\(pathAndQuery): \(answer.body)")
        let events = (answer.json["data"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
        return events.compactMap { $0["id"] as? String }
    }

    func stream(_ path: String = "/api/v1/events/stream", headers: [String: String] = [:]) async throws -> StreamingHTTPClient {
        let stream = try await StreamingHTTPClient(port: port, path: path, headers: headers)
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"] == "text/event-stream")
        #expect(stream.headers["cache-control"] == "no-cache")
        return stream
    }
}

@Suite("Event routes over HTTP")
struct EventRoutesTests {
    @Test func listsStoredEventsInOrderAfterSinceAndTheNewestByDefault() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedEvents.with(redis: redis, prefix: "er1") { served in
            let stored = try await served.store([event(0), event(1_000, "ok"), event(2_000), event(2_000, "warning")])
            let ids = stored.compactMap(\.id)
            #expect(try await served.ids("/api/v1/events") == ids)
            #expect(try await served.ids("/api/v1/events?limit=2") == Array(ids.suffix(2)))
            #expect(try await served.ids("/api/v1/events?since=\(ids[0])&limit=2") == Array(ids[1...2]))
            #expect(try await served.ids("/api/v1/events?since=\(base + 1_000)") == Array(ids[2...]), "after that millisecond")
            #expect(try await served.ids("/api/v1/events?since=2023-11-14T22:13:20.999Z") == Array(ids[1...]))
            #expect(try await served.ids("/api/v1/events?since=\(ids[3])") == [])

            let one = try await served.get("/api/v1/events?limit=1&since=1700000000000-0")
            #expect(
                one.body
                    == #"{"data":{"events":[{"entity":"technical.followers","from":"ok","id":"1700000001000-0","kind":"metric","metric":"followers","partnership":"technical","reason":"followers 12.5 below 100","time":"2023-11-14T22:13:21.000Z","time_ms":1700000001000,"to":"ok","value":12.5}]},"status":"success"}"#
            )
        }
    }

    static let badRequests: [(query: String, error: String)] = [
        ("since=yesterday", #"since: "yesterday" is neither a stream ID"#),
        ("since=1-2-3", #"since: "1-2-3" is neither a stream ID"#),
        ("limit=0", #"limit: must be a whole number from 1 to 1000, not "0""#),
        ("limit=1001", #"limit: must be a whole number from 1 to 1000, not "1001""#),
        ("limit=ten", #"limit: must be a whole number from 1 to 1000, not "ten""#),
        ("limit=1&limit=2", "limit: is given more than once"),
        ("from=-1h", "from: unknown parameter (known: since, limit)"),
    ]

    @Test func badParametersAre400AndRedisDownIs503() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedEvents.with(redis: redis, prefix: "er2") { served in
            for (query, fragment) in Self.badRequests {
                let answer = try await served.get("/api/v1/events?\(query)")
                #expect(answer.status == 400, "\(query)")
                let error = ErrorAnswer(answer.json)
                #expect(error.status == "error")
                #expect(error.code == "invalid_parameter")
                #expect(error.message?.hasPrefix(fragment) == true, "\(query): \(answer.body)")
                #expect(error.field.map { fragment.hasPrefix($0 + ": ") } == true, "\(query): \(answer.body)")
            }
            let badStream = try await served.get("/api/v1/events/stream?since=soon")
            #expect(badStream.status == 400)
            #expect(ErrorAnswer(badStream.json).message?.hasPrefix(#"since: "soon""#) == true)
            let unknown = try await served.get("/api/v1/events/stream?limit=5")
            #expect(ErrorAnswer(unknown.json).message == "limit: unknown parameter (known: since)")

            redis.kill()
            let down = try await served.get("/api/v1/events")
            #expect(down.status == 503)
            #expect(ErrorAnswer(down.json).status == "error")
            #expect(ErrorAnswer(down.json).code == "unavailable")
            #expect(try await served.get("/api/v1/events?limit=0").status == 400, "parameters are checked before Redis is asked")
        }
        try await ServedEvents.with(redis: nil) { served in
            let answer = try await served.get("/api/v1/events")
            #expect(answer.status == 503)
            #expect(ErrorAnswer(answer.json).message == "events are unavailable: this server has no event log")
        }
    }

    @Test func streamsPublishedEventsAsServerSentEvents() async throws {
        try await ServedEvents.with(redis: nil) { served in
            let stream = try await served.stream()
            #expect(try await stream.read(until: "\n\n") == ": devskyy events\n\n", "sent once subscribed")
            #expect(served.hub.subscriberCount == 1)
            var first = event(0)
            first.id = "1700000000000-0"
            var unstored = event(5, "ok")
            unstored.partnership = nil
            unstored.value = nil
            served.hub.publish([first, unstored])
            #expect(
                try await stream.read(until: "\n\n")
                    == "id: 1700000000000-0\nevent: metric\n"
                    + #"data: {"entity":"technical.followers","from":"ok","id":"1700000000000-0","kind":"metric","metric":"followers","partnership":"technical","reason":"followers 12.5 below 100","time":"2023-11-14T22:13:20.000Z","time_ms":1700000000000,"to":"critical","value":12.5}"#
                    + "\n\n")
            #expect(
                try await stream.read(until: "\n\n")
                    == "id: 1700000000005\nevent: metric\n"
                    + #"data: {"entity":"technical.followers","from":"ok","kind":"metric","metric":"followers","reason":"followers 12.5 below 100","time":"2023-11-14T22:13:20.005Z","time_ms":1700000000005,"to":"ok"}"#
                    + "\n\n", "an event that is not stored: its time as the ID, absent fields left out")

            // The hub ends: the response ends cleanly.
            served.hub.finish()
            #expect(try await stream.waitForEnd())
            #expect(await eventually { served.hub.subscriberCount == 0 })
        }
    }

    @Test func replaysStoredEventsAfterLastEventIDThenLiveOnes() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await ServedEvents.with(redis: redis, prefix: "er3") { served in
            let stored = try await served.store([event(0), event(1), event(2)])
            let stream = try await served.stream(
                "/api/v1/events/stream?since=\(base - 1)", headers: ["Last-Event-ID": stored[0].id!])
            #expect(try await stream.read(until: "\n\n") == ": devskyy events\n\n")
            #expect(try await stream.read(until: "\n\n")?.hasPrefix("id: \(stored[1].id!)\nevent: metric\ndata: {") == true)
            #expect(try await stream.read(until: "\n\n")?.hasPrefix("id: \(stored[2].id!)\n") == true)
            // What the daemon does: store, then publish with the IDs. A repeat of a replayed event is not sent twice.
            let later = served.log!.append([event(3)])
            served.hub.publish([stored[2]] + later)
            #expect(try await stream.read(until: "\n\n")?.hasPrefix("id: \(later[0].id!)\n") == true)

            // With only ?since, from there.
            let fromSince = try await served.stream("/api/v1/events/stream?since=\(base + 1)")
            #expect(try await fromSince.read(until: "\n\n") == ": devskyy events\n\n")
            #expect(try await fromSince.read(until: "\n\n")?.hasPrefix("id: \(stored[2].id!)\n") == true)

            // Redis away: the stream opens anyway, says so, and carries live events.
            redis.kill()
            let unreplayed = try await served.stream("/api/v1/events/stream?since=0")
            #expect(try await unreplayed.read(until: "\n\n") == ": no replay: Redis cannot be reached\n\n")
        }
    }

    @Test func everyEventAStreamClientMissesIsCounted() async throws {
        // Keep-alives every millisecond share the stream's buffer with the events.
        try await ServedEvents.with(redis: nil, keepalive: .milliseconds(1), hubBuffer: 10) { served in
            let stream = try await served.stream()
            #expect(try await stream.read(until: "\n\n") == ": devskyy events\n\n")
            // The client reads nothing while more is published than the socket buffers and the stream's hold.
            let published = 5_000
            let reason = String(repeating: "r", count: 8_000)
            for start in stride(from: 0, to: published, by: 100) {
                served.hub.publish(
                    (start..<start + 100).map {
                        var big = event(Int64($0))
                        big.reason = reason
                        return big
                    })
            }
            served.hub.finish()
            var frames = 0
            while let frame = try await stream.read(until: "\n\n", timeout: .seconds(10)) {
                if frame.hasPrefix("id: ") { frames += 1 }
            }
            #expect(frames < published, "the client fell behind")
            #expect(frames + served.hub.dropped == published, "each event was sent or counted as dropped")
        }
    }

    @Test func sendsKeepalivesAndLetsGoOfClientsThatLeft() async throws {
        try await ServedEvents.with(redis: nil, keepalive: .milliseconds(100)) { served in
            let stream = try await served.stream()
            #expect(try await stream.read(until: "\n\n") == ": devskyy events\n\n")
            #expect(try await stream.read(until: "\n\n") == ": keepalive\n\n")
            #expect(served.hub.subscriberCount == 1)
            stream.disconnect()
            #expect(await eventually(timeout: .seconds(5)) { served.hub.subscriberCount == 0 }, "noticed at the next keep-alive")
        }
    }

    @Test func endsStreamsOnGracefulShutdown() async throws {
        let hub = EventHub()
        var live = LiveState(config: DaemonConfig())
        let router = QueryRouter.build(store: SnapshotStore(live.snapshot(now: 0)), explain: { _ in nil }, hub: hub)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup { group in
                group.addTask { try await app.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let stream = try await StreamingHTTPClient(port: port, path: "/api/v1/events/stream")
                #expect(try await stream.read(until: "\n\n") == ": devskyy events\n\n")
                trigger.triggerGracefulShutdown()
                #expect(try await stream.waitForEnd(), "the response ends, so the server can stop")
                try await group.waitForAll()
            }
        }
        #expect(hub.subscriberCount == 0)
    }
}

@Suite("Event hub")
struct EventHubTests {
    @Test func aSlowSubscriberLosesItsOldestAndNobodyWaits() async {
        let hub = EventHub(buffer: 3)
        let slow = hub.subscribe()
        let fast = hub.subscribe()
        #expect(hub.subscriberCount == 2)
        hub.publish((0..<5).map { event(Int64($0)) })
        #expect(hub.dropped == 4, "two for each subscriber")
        hub.finish()
        var received: [Int64] = []
        for await event in slow { received.append(event.time - base) }
        #expect(received == [2, 3, 4])
        var rest = 0
        for await _ in fast { rest += 1 }
        #expect(rest == 3)
        #expect(hub.subscriberCount == 0)
        var late = hub.subscribe().makeAsyncIterator()
        #expect(await late.next() == nil, "a finished hub takes no new subscribers")
    }

    @Test func aSubscriptionEndsWithItsTask() async {
        let hub = EventHub()
        let reader = Task {
            var count = 0
            for await _ in hub.subscribe() { count += 1 }
            return count
        }
        #expect(await eventually { hub.subscriberCount == 1 })
        hub.publish([event(0)])
        reader.cancel()
        _ = await reader.value
        #expect(await eventually { hub.subscriberCount == 0 })
    }
}
