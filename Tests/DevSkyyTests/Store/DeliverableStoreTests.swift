import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

@Suite("Deliverable progress kept in Redis")
struct DeliverableStoreTests {
    static let technical = Partnership(
        id: "technical", name: "Technical", kind: .technical,
        deliverables: [.init(id: "microservices", name: "Microservices"), .init(id: "personalization", name: "Personalization")]
    )

    @Test func updatesReadBackFromTheDocumentedHashAndSurviveARestart() async throws {
        let redis = try await RedisServer(appendOnly: true)
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "dv1")
        let store = DeliverableStore(client: client, keys: keys)
        let untouched = DeliverableProgress(partnership: "technical", id: "personalization")
        #expect(
            try await store.progress(partnership: "technical", deliverables: ["microservices", "personalization"])
                == [DeliverableProgress(partnership: "technical", id: "microservices"), untouched],
            "never set: the defaults")

        let first = try await store.update(partnership: "technical", id: "microservices", completion: 40, status: "in_progress", at: 1_000)
        #expect(first.old == DeliverableProgress(partnership: "technical", id: "microservices"))
        #expect(first.new == .init(partnership: "technical", id: "microservices", completion: 40, status: "in_progress", updated: 1_000))
        let second = try await store.update(partnership: "technical", id: "microservices", completion: 62.5, status: nil, at: 2_000)
        #expect(second.old == first.new, "the change starts from what the first update left")
        #expect(second.new == .init(partnership: "technical", id: "microservices", completion: 62.5, status: "in_progress", updated: 2_000))

        // The documented key and fields, for other tools; reading wrote nothing.
        let key = keys.deliverable(partnership: "technical", id: "microservices")
        #expect(key == "dv1:entity:deliverable:technical:microservices")
        let hash = try await client.command(["HGETALL", key]).array?.compactMap(\.string) ?? []
        let fields = Dictionary(uniqueKeysWithValues: stride(from: 0, to: hash.count, by: 2).map { (hash[$0], hash[$0 + 1]) })
        #expect(fields == ["completion_percentage": "62.5", "status": "in_progress", "updated": "2000"])
        #expect(try await client.command(["EXISTS", keys.deliverable(partnership: "technical", id: "personalization")]).integer == 0)

        // Redis restarts; a new client and store (a restarted daemon) read the same progress.
        redis.kill()
        try await redis.start()
        let restarted = DeliverableStore(client: try redis.client(), keys: keys)
        #expect(try await restarted.progress(of: [Self.technical]) == ["technical": [second.new, untouched]])
    }

    @Test func fieldsThatCannotBeReadKeepTheirDefaults() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "dv2")
        _ = try await client.command([
            "HSET", keys.deliverable(partnership: "technical", id: "microservices"), "completion_percentage", "150", "status", "",
            "updated", "soon",
        ])
        let store = DeliverableStore(client: client, keys: keys)
        #expect(
            try await store.progress(partnership: "technical", deliverables: ["microservices"])
                == [DeliverableProgress(partnership: "technical", id: "microservices")])
        #expect(try await store.progress(of: []) == [:])
    }

    @Test func redisAwayIsARetryableError() async throws {
        let redis = try await RedisServer()
        let store = DeliverableStore(client: try redis.client(), keys: RedisKeys(prefix: "dv3"))
        redis.stop()
        let writing = await #expect(throws: RedisError.self) {
            _ = try await store.update(partnership: "technical", id: "microservices", completion: 1, status: nil, at: 1)
        }
        #expect(writing?.isRetryable == true)
        let reading = await #expect(throws: RedisError.self) { _ = try await store.progress(of: [Self.technical]) }
        #expect(reading?.isRetryable == true)
    }

    @Test func aChangeIsAnEventNamingBothFields() {
        let old = DeliverableProgress(partnership: "technical", id: "microservices", completion: 40, status: "in_progress", updated: 1_000)
        var new = old
        new.completion = 60
        new.updated = 2_000
        let event = DeliverableStore.Change(old: old, new: new).event
        #expect(
            event
                == HealthEvent(
                    time: 2_000, kind: .deliverable, entity: "technical/microservices", partnership: "technical", from: "40", to: "60",
                    value: 60, reason: "completion 40 → 60, status in_progress"))

        var blocked = new
        blocked.status = "blocked"
        #expect(DeliverableStore.Change(old: new, new: blocked).event?.reason == "completion 60, status in_progress → blocked")
        #expect(DeliverableStore.Change(old: new, new: new).event == nil, "nothing changed: no event")
    }
}
