import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Logging
import Testing

private let base: Int64 = 1_700_000_000_000

private func event(_ offset: Int64, _ to: String = "critical", kind: HealthEvent.Kind = .metric, value: Double? = 12.5) -> HealthEvent {
    HealthEvent(
        time: base + offset, kind: kind, entity: "technical.followers", partnership: "technical",
        metric: kind == .metric ? "followers" : nil, from: "ok", to: to, value: value, reason: "followers 12.5 below 100")
}

/// An event log on its own key prefix, its write loop running until `body` returns.
private func withLog<T>(
    _ redis: RedisServer, prefix: String, maxLength: Int = EventLog.defaultMaxLength, queueCapacity: Int = EventLog.defaultQueueCapacity,
    _ body: (EventLog, RedisClient) async throws -> T
) async throws -> T {
    let client = RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(redis.url).get(), connectTimeout: .milliseconds(500)))
    let log = EventLog(
        client: client, keys: RedisKeys(prefix: prefix), maxLength: maxLength, queueCapacity: queueCapacity,
        retryInterval: .milliseconds(50), logger: Logger(label: "test"))
    let running = Task { await log.run() }
    defer { running.cancel() }
    return try await body(log, client)
}

@Suite("Event log against a real redis-server")
struct EventLogTests {
    @Test func storesInOrderAndReadsSinceAndNewest() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await withLog(redis, prefix: "ev1") { log, client in
            let appended = log.append([event(0), event(1, "ok", value: nil), event(1, "warning"), event(2, kind: .collector, value: nil)])
            #expect(appended.map(\.id) == ["\(base)-0", "\(base + 1)-0", "\(base + 1)-1", "\(base + 2)-0"])
            #expect(await eventually { log.stats.appended == 4 })
            #expect(log.stats == EventLog.Stats(appended: 4, dropped: 0, queued: 0))

            #expect(try await log.read(since: nil, limit: 100) == appended)
            #expect(try await log.read(since: nil, limit: 2) == Array(appended.suffix(2)), "the newest, oldest first")
            #expect(try await log.read(since: EventID(appended[0].id!), limit: 2) == Array(appended[1...2]))
            #expect(try await log.read(since: EventID(milliseconds: base + 1, sequence: .max), limit: 10) == [appended[3]])
            #expect(try await log.read(since: EventID(appended[3].id!), limit: 10) == [])

            // The documented fields, absent ones left out.
            let raw = try await client.command(["XRANGE", "ev1:events", "-", "+", "COUNT", "2"])
            #expect(
                raw
                    == .array([
                        .array([
                            .string("\(base)-0"),
                            .array(
                                [
                                    "time", String(base), "kind", "metric", "entity", "technical.followers", "partnership", "technical",
                                    "metric", "followers", "from", "ok", "to", "critical", "value", "12.5", "reason",
                                    "followers 12.5 below 100",
                                ].map(RedisReply.string)),
                        ]),
                        .array([
                            .string("\(base + 1)-0"),
                            .array(
                                [
                                    "time", String(base + 1), "kind", "metric", "entity", "technical.followers", "partnership", "technical",
                                    "metric", "followers", "from", "ok", "to", "ok", "reason", "followers 12.5 below 100",
                                ].map(RedisReply.string)),
                        ]),
                    ]))
        }
    }

    @Test func capsTheStream() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await withLog(redis, prefix: "ev2", maxLength: 20) { log, client in
            // Small stream nodes, so that the approximate trim (whole nodes only) stays close to the cap.
            _ = try await client.command(["CONFIG", "SET", "stream-node-max-entries", "5"])
            for index in 0..<200 { log.append([event(Int64(index))]) }
            #expect(await eventually { log.stats.appended == 200 })
            let length = try await client.command(["XLEN", "ev2:events"]).integer ?? 0
            #expect((20...25).contains(length), "\(length)")
            let newest = try await log.read(since: nil, limit: 3)
            #expect(newest.map(\.time) == [base + 197, base + 198, base + 199])
        }
    }

    @Test func keepsEventsWhileRedisIsDownAndStoresThemInOrderWhenItReturns() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await withLog(redis, prefix: "ev3", queueCapacity: 5) { log, _ in
            log.append([event(0)])
            #expect(await eventually { log.stats.appended == 1 })
            redis.kill()
            let during = (1...7).map { event(Int64($0)) }
            for item in during { log.append([item]) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(log.stats == EventLog.Stats(appended: 1, dropped: 2, queued: 5), "the oldest two made room")
            await #expect(throws: RedisError.self) { try await log.read(since: nil, limit: 10) }

            try await redis.start()
            #expect(await eventually(timeout: .seconds(20)) { log.stats.queued == 0 })
            #expect(log.stats == EventLog.Stats(appended: 6, dropped: 2, queued: 0))
            // Without persistence the restarted server holds only what came after the outage, in order.
            let stored = try await log.read(since: nil, limit: 100)
            #expect(stored.map(\.time) == (3...7).map { base + Int64($0) })
            #expect(stored.map(\.id) == (3...7).map { "\(base + Int64($0))-0" })
        }
    }

    @Test func letsRedisChooseTheIDWhenTheStreamIsAhead() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await withLog(redis, prefix: "ev4") { log, client in
            // Another writer's entry from the future.
            _ = try await client.command(["XADD", "ev4:events", "9999999999999-0", "time", "9999999999999", "kind", "collector"])
            log.append([event(0)])
            #expect(await eventually { log.stats.appended == 1 })
            let stored = try await log.read(since: nil, limit: 10)
            #expect(stored.count == 2)
            #expect(stored.last?.id == "9999999999999-1")
            #expect(stored.last?.time == base)
            #expect(log.stats.dropped == 0)
        }
    }

    @Test func idsFollowTheEventTimesAndNeverGoBack() async throws {
        #expect(EventID("1700000000000-7") == EventID(milliseconds: base, sequence: 7))
        #expect(EventID("1700000000000") == nil)
        #expect(EventID("-1-0") == nil)
        #expect(EventID(milliseconds: 5, sequence: .max).next == EventID(milliseconds: 6))
        #expect(EventID(milliseconds: 5).description == "5-0")
        // An event older than the one before it (a clock set back) still gets a later ID.
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await withLog(redis, prefix: "ev5") { log, _ in
            let appended = log.append([event(10), event(10), event(3)])
            #expect(appended.map(\.id) == ["\(base + 10)-0", "\(base + 10)-1", "\(base + 10)-2"])
            #expect(appended.map(\.time) == [base + 10, base + 10, base + 3])
        }
    }
}
