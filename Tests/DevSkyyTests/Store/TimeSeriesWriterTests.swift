import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

@Suite("Time-series writer against a real redis-server")
struct TimeSeriesWriterTests {
    @Test func writesExactKeysScoresMembersAndTTLs() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "w1")
        let writer = TimeSeriesWriter(
            client: client, keys: keys, retention: .init(raw: .seconds(3_600)), rollups: false,
            latestTTL: ["technical": .seconds(90)], clock: { 1_700_000_010_000 }
        )
        try await writer.write([
            Sample(partnership: "technical", metric: "uptime", timestamp: 1_700_000_000_000, value: 99.95),
            Sample(partnership: "technical", metric: "latency", timestamp: 1_700_000_000_000, value: 85),
            Sample(
                partnership: "technical", metric: "followers", labels: [.init("platform", "tiktok")], timestamp: 1_700_000_000_000, value: 3
            ),
        ])
        try await writer.write([Sample(partnership: "technical", metric: "uptime", timestamp: 1_700_000_010_000, value: 98.5)])

        let all = try await client.command(["KEYS", "w1:*"]).array?.compactMap(\.string).sorted()
        #expect(
            all == [
                "w1:latest:technical", "w1:series", "w1:ts:technical.followers,platform=tiktok", "w1:ts:technical.latency",
                "w1:ts:technical.uptime",
            ]
        )
        let uptime = try await client.command(["ZRANGE", "w1:ts:technical.uptime", "0", "-1", "WITHSCORES"])
        #expect(
            uptime
                == .array([
                    .string("1700000000000:99.95"), .string("1700000000000"), .string("1700000010000:98.5"), .string("1700000010000"),
                ]))
        let labelled = try await client.command(["ZRANGE", "w1:ts:technical.followers,platform=tiktok", "0", "-1", "WITHSCORES"])
        #expect(labelled == .array([.string("1700000000000:3"), .string("1700000000000")]))

        let index = try await client.command(["SMEMBERS", "w1:series"]).array?.compactMap(\.string).sorted()
        #expect(index == ["technical.followers,platform=tiktok", "technical.latency", "technical.uptime"])

        let latest = try await client.command(["HGETALL", "w1:latest:technical"]).array?.compactMap(\.string) ?? []
        let pairs = Dictionary(uniqueKeysWithValues: stride(from: 0, to: latest.count, by: 2).map { (latest[$0], latest[$0 + 1]) })
        #expect(pairs == ["uptime": "98.5", "latency": "85", "followers,platform=tiktok": "3"])

        let rawTTL = try await client.command(["TTL", "w1:ts:technical.uptime"]).integer ?? -1
        #expect((3_590...3_600).contains(rawTTL))
        let latestTTL = try await client.command(["TTL", "w1:latest:technical"]).integer ?? -1
        #expect((80...90).contains(latestTTL))
        #expect(try await client.command(["TTL", "w1:series"]).integer == -1, "the index never expires")
    }

    @Test func keyPrefixKeepsWritersApart() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        for prefix in ["a", "b"] {
            let writer = TimeSeriesWriter(
                client: client, keys: RedisKeys(prefix: prefix), retention: .init(raw: .seconds(60)), latestTTL: [:], clock: { 1 })
            try await writer.write([Sample(partnership: "p", metric: "m", timestamp: 1, value: 1)])
        }
        #expect(try await client.command(["EXISTS", "a:ts:p.m", "b:ts:p.m"]).integer == 2)
    }
}

@Suite("Redis client")
struct RedisClientTests {
    @Test func failsWhileDownAndReconnectsByItself() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(redis.url).get(), connectTimeout: .milliseconds(500)))
        #expect(try await client.command(["PING"]) == .status("PONG"))
        redis.kill()
        await #expect(throws: RedisError.self) { try await client.command(["PING"]) }
        try await redis.start()
        let back = await eventually(timeout: .seconds(15)) { (try? await client.command(["PING"])) == .status("PONG") }
        #expect(back)
    }

    @Test func authAndSelect() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let admin = try redis.client()
        _ = try await admin.command(["ACL", "SETUSER", "collector", "on", ">pa55word-long-enough", "~*", "+@all"])
        let user = RedisClient(
            settings: .init(endpoint: try RedisEndpoint.parse("redis://collector:pa55word-long-enough@127.0.0.1:\(redis.port)/2").get()))
        _ = try await user.command(["SET", "k", "v"])
        #expect(try await admin.command(["EXISTS", "k"]).integer == 0, "db 0 is untouched")
        _ = try await admin.command(["SELECT", "2"])
        #expect(try await admin.command(["GET", "k"]) == .string("v"))

        let wrong = RedisClient(
            settings: .init(endpoint: try RedisEndpoint.parse("redis://collector:nope@127.0.0.1:\(redis.port)/0").get()))
        do {
            _ = try await wrong.command(["PING"])
            Issue.record("a wrong password must fail")
        } catch {
            #expect(!error.message.contains("nope"), "the password never appears in errors")
        }
    }

    @Test func unixSocketURLWithADatabase() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let overSocket = RedisClient(settings: .init(endpoint: try RedisEndpoint.parse("redis+unix://\(redis.socketPath)?db=3").get()))
        let writer = TimeSeriesWriter(
            client: overSocket, keys: RedisKeys(prefix: "u"), retention: .init(), latestTTL: [:], clock: { 1_000 })
        try await writer.write([Sample(partnership: "p", metric: "m", timestamp: 1_000, value: 7)])
        let admin = try redis.client()
        #expect(try await admin.command(["EXISTS", "u:ts:p.m"]).integer == 0, "db 0 is untouched")
        _ = try await admin.command(["SELECT", "3"])
        #expect(try await admin.command(["ZRANGE", "u:ts:p.m", "0", "-1"]) == .array([.string("1000:7")]))
    }

    @Test func commandErrorsComeBackAsReplies() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let replies = try await client.pipeline([["SET", "s", "1"], ["HSET", "s", "f", "v"], ["GET", "s"]])
        #expect(replies[0] == .status("OK"))
        guard case .error(let message) = replies[1] else {
            Issue.record("expected an error reply")
            return
        }
        #expect(message.contains("WRONGTYPE"))
        #expect(replies[2] == .string("1"))
    }
}
