import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

/// A UTC midnight: 2025-06-16T00:00:00Z. Queries pass it as `now`, so retention windows are fixed.
private let now: Int64 = 1_750_032_000_000
private let minute: Int64 = 60_000
private let hour: Int64 = 3_600_000
private let day: Int64 = 86_400_000

/// Keys written with the documented encodings, directly: the reader must read what any writer of the contract writes.
private struct Seed {
    let client: RedisClient
    let keys: RedisKeys

    func raw(_ series: String, _ samples: [(Int64, Double)]) async throws {
        try await zadd(keys.series(series), samples.flatMap { [String($0.0), RedisKeys.member(timestamp: $0.0, value: $0.1)] })
        try await index(series)
    }

    /// Buckets as `start:count:sum:min:max:last:lastMs`, written as given (numbers may have exponents).
    func rollup(_ series: String, _ resolution: Resolution, _ members: [String]) async throws {
        try await zadd(keys.series(series, resolution), members.flatMap { [String($0.prefix { $0 != ":" }), $0] })
        try await index(series)
    }

    func index(_ series: String...) async throws {
        _ = try await client.command(["SADD", keys.seriesIndex] + series)
    }

    private func zadd(_ key: String, _ pairs: [String]) async throws {
        let reply = try await client.command(["ZADD", key] + pairs)
        #expect(reply.integer != nil, "ZADD \(key): \(reply)")
    }
}

private func reader(_ redis: RedisServer, prefix: String) throws -> (TimeSeriesReader, Seed) {
    let client = try redis.client()
    let keys = RedisKeys(prefix: prefix)
    return (TimeSeriesReader(client: client, keys: keys), Seed(client: client, keys: keys))
}

private func query(
    _ selection: SeriesSelection, from: Int64, to: Int64 = now, step: Int64? = nil, _ aggregation: Aggregation = .avg,
    _ resolution: ResolutionRequest = .auto
) -> RangeQuery {
    RangeQuery(selection: selection, from: .absolute(from), to: .absolute(to), step: step, aggregation: aggregation, resolution: resolution)
}

private func values(_ result: RangeResult, _ index: Int = 0) -> [Double] { result.series[index].points.map(\.value) }
private func times(_ result: RangeResult, _ index: Int = 0) -> [Int64] { result.series[index].points.map(\.time) }

@Suite("Time-series reader against a real redis-server")
struct TimeSeriesReaderTests {
    static let followers = "technical.followers,platform=instagram"

    /// The same series at every resolution, each with values of its own magnitude, so an answer tells which was read.
    private func seedEveryResolution(_ seed: Seed) async throws {
        try await seed.raw(
            Self.followers,
            [(now - 2 * hour, 999), (now - 50 * minute, 10), (now - 50 * minute + 20_000, 20), (now - 10 * minute, 30)])
        try await seed.rollup(
            Self.followers, .minute,
            [
                "\(now - 30 * minute):2:300:100:200:200:\(now - 30 * minute + 30_000)",
                "\(now - 29 * minute):1:400:400:400:400:\(now - 29 * minute)",
            ])
        try await seed.rollup(
            Self.followers, .hour,
            ["\(now - hour):4:4000:500:2000:1500:\(now - 1)", "\(now - 10 * day):1:1000:1000:1000:1000:\(now - 10 * day)"])
        try await seed.rollup(
            Self.followers, .day,
            ["\(now - day):10:100000:1:99999:7:\(now - 2)", "\(now - 100 * day):1:10000:10000:10000:10000:\(now - 100 * day)"])
    }

    @Test func readsEachResolutionAsAsked() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r1")
        try await seedEveryResolution(seed)
        let series = SeriesSelection.names([Self.followers])

        let raw = try await reader.range(query(series, from: now - hour, step: 10 * minute, .avg, .fixed(.raw)), now: now)
        #expect(raw.plan.resolution == .raw)
        #expect(times(raw) == [now - 50 * minute, now - 10 * minute])
        #expect(values(raw) == [15, 30], "the sample 2 h ago is outside the range")

        let minuteResult = try await reader.range(query(series, from: now - hour, step: 10 * minute, .sum, .fixed(.minute)), now: now)
        #expect(times(minuteResult) == [now - 30 * minute], "both buckets fall in one 10-minute window")
        #expect(values(minuteResult) == [700])

        let hourResult = try await reader.range(query(series, from: now - hour, step: hour, .max, .fixed(.hour)), now: now)
        #expect(values(hourResult) == [2_000])

        // The day bucket holding `from` (yesterday 23:00) is read, though it starts before `from`.
        let dayResult = try await reader.range(query(series, from: now - hour, step: day, .last, .fixed(.day)), now: now)
        #expect(times(dayResult) == [now - day])
        #expect(values(dayResult) == [7])

        let parsed = raw.series[0].series
        #expect(parsed.partnership == "technical")
        #expect(parsed.metric == "followers")
        #expect(parsed.labels == [.init("platform", "instagram")])
    }

    @Test func choosesTheResolutionByRangeRetentionAndBudget() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r2")
        try await seedEveryResolution(seed)
        let series = SeriesSelection.names([Self.followers])

        let lastHour = try await reader.range(query(series, from: now - hour), now: now)
        #expect(lastHour.plan.resolution == .raw)
        #expect(lastHour.plan.step == 5_000)
        #expect(values(lastHour) == [10, 20, 30])

        let lastMonth = try await reader.range(query(series, from: now - 30 * day), now: now)
        #expect(lastMonth.plan.resolution == .hour)
        #expect(lastMonth.plan.step == hour)
        // The newest 1m bucket (400, not yet folded by the writer) is added to its hour: (4000 + 400) / 5.
        #expect(values(lastMonth) == [1_000, 880])

        let lastYear = try await reader.range(query(series, from: now - 365 * day), now: now)
        #expect(lastYear.plan.resolution == .day)
        #expect(lastYear.plan.step == day)
        #expect(values(lastYear) == [10_000, 100_400.0 / 11], "and to its day")

        // More raw samples in the hour than the budget: the 1m rollup instead.
        let busy = "technical.requests"
        try await seed.raw(busy, (0..<1_001).map { (now - hour + Int64($0) * 3_000, 1) })
        try await seed.rollup(busy, .minute, ["\(now - 30 * minute):20:20:1:1:1:\(now - 30 * minute)"])
        let crowded = try await reader.range(query(.names([busy]), from: now - hour, .count), now: now)
        #expect(crowded.plan.resolution == .minute)
        #expect(values(crowded) == [20])
        let roomy = try await reader.range(
            RangeQuery(selection: .names([busy]), from: .absolute(now - hour), to: .absolute(now), aggregation: .count, maxPoints: 2_000),
            now: now)
        #expect(roomy.plan.resolution == .raw)
        #expect(values(roomy).reduce(0, +) == 1_001)
    }

    @Test func aggregatesRollupTextAsWritten() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r3")
        let name = "visual.score"
        try await seed.rollup(
            name, .hour,
            [
                "\(now):3:0.30000000000000004:0.10000000000000001:0.1:0.1:\(now + 50 * minute)",
                "\(now + hour):1:1e+20:1e+20:1e+20:1e+20:\(now + hour + 1)",
                "\(now + 2 * hour):2:-1e-05:-1e-05:0:0:\(now + 2 * hour + 5)",
            ])
        let window = { (aggregation: Aggregation) in
            query(.names([name]), from: now, to: now + 3 * hour - 1, step: day, aggregation, .fixed(.hour))
        }
        #expect(values(try await reader.range(window(.count), now: now)) == [6])
        #expect(values(try await reader.range(window(.sum), now: now)) == [0.30000000000000004 + 1e20 - 1e-05])
        #expect(values(try await reader.range(window(.min), now: now)) == [-1e-05])
        #expect(values(try await reader.range(window(.max), now: now)) == [1e20])
        #expect(values(try await reader.range(window(.last), now: now)) == [0])
        #expect(values(try await reader.range(window(.avg), now: now)) == [(0.30000000000000004 + 1e20 - 1e-05) / 6])
    }

    @Test func matchersSelectFromTheIndex() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r4")
        try await seed.raw("technical.followers,platform=instagram", [(now - minute, 1)])
        try await seed.raw("technical.followers,platform=tiktok", [(now - minute, 2)])
        try await seed.raw("technical.uptime", [(now - minute, 99.9)])
        try await seed.raw("brand.followers,platform=instagram", [(now - minute, 4)])
        // Samples under a key the index does not name are not found by matchers.
        _ = try await seed.client.command(["ZADD", "r4:ts:technical.followers,platform=x", "1", "\(now - minute):5"])

        let all = try await reader.series(matching: nil)
        #expect(
            all.map(\.name) == [
                "brand.followers,platform=instagram", "technical.followers,platform=instagram", "technical.followers,platform=tiktok",
                "technical.uptime",
            ])
        let technical = try await reader.series(matching: try SeriesMatcher.parse(#"{partnership="technical",metric=~"foll.*"}"#))
        #expect(technical.map(\.name) == ["technical.followers,platform=instagram", "technical.followers,platform=tiktok"])
        #expect(technical.map { $0.value(of: "platform") } == ["instagram", "tiktok"])
        let notTiktok = try await reader.series(matching: try SeriesMatcher.parse(#"metric="followers",platform!="tiktok""#))
        #expect(notTiktok.map(\.name) == ["brand.followers,platform=instagram", "technical.followers,platform=instagram"])

        let result = try await reader.range(
            query(.matcher(try SeriesMatcher.parse("partnership=technical,metric=followers")), from: now - hour, .last), now: now)
        #expect(result.series.map(\.series.name) == ["technical.followers,platform=instagram", "technical.followers,platform=tiktok"])
        #expect(result.series.map { $0.points.map(\.value) } == [[1], [2]])
    }

    @Test func indexIsScannedPastOnePage() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r5")
        let names = (0..<2_500).map { "load.m\($0)" }
        for chunk in stride(from: 0, to: names.count, by: 500) {
            _ = try await seed.client.command(["SADD", seed.keys.seriesIndex] + names[chunk..<chunk + 500])
        }
        #expect(try await reader.series(matching: nil).count == 2_500)
        #expect(try await reader.series(matching: try SeriesMatcher.parse(#"metric=~"m1\d*""#)).count == 1_111)

        do {
            _ = try await reader.range(query(.matcher(try SeriesMatcher.parse("partnership=load")), from: now - hour), now: now)
            Issue.record("a selection over the series limit must fail")
        } catch let error as QueryError {
            #expect(error.isTooLarge)
            #expect(error.parameter == "match")
            #expect(error.message.contains("2500 series"))
        }
    }

    @Test func skipsMalformedMembersAndAnswersUnknownSeriesEmpty() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r6")
        try await seed.raw("p.m", [(now - minute, 4)])
        _ = try await seed.client.command(["ZADD", "r6:ts:p.m", String(now - 2 * minute), "garbage", String(now - 3 * minute), "1:2:3"])
        let result = try await reader.range(query(.names(["p.m", "p.nothing"]), from: now - hour, step: hour, .count), now: now)
        #expect(result.series.map(\.series.name) == ["p.m", "p.nothing"])
        #expect(values(result, 0) == [1])
        #expect(values(result, 1) == [])
    }

    @Test func cachesAnswersWithTheirTTLAndServesThem() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r7")
        try await seed.raw("p.m", [(now - 10 * minute, 1), (now - 5 * minute, 3)])
        let short = query(.names(["p.m"]), from: now - hour, step: hour, .avg)
        let encode = { (result: RangeResult) -> [UInt8] in Array("avg=\(values(result))".utf8) }

        let key = reader.cacheKey(for: short)
        #expect(key.hasPrefix("r7:cache:range:"))
        #expect(key.count == "r7:cache:range:".count + 16)
        let first = try await reader.cachedRange(short, now: now, encode: encode)
        #expect(!first.hit)
        #expect(String(decoding: first.body, as: UTF8.self) == "avg=[2.0]")
        let ttl = try await seed.client.command(["TTL", key]).integer ?? -1
        #expect((1...30).contains(ttl))
        let stored = try await seed.client.command(["GET", key]).string ?? ""
        #expect(stored == short.normalized + "\navg=[2.0]")

        // New data does not show until the cached answer expires: the cached body is served as it is.
        try await seed.raw("p.m", [(now - minute, 100)])
        let second = try await reader.cachedRange(short, now: now, encode: { _ in Array("not called".utf8) })
        #expect(second.hit)
        #expect(second.body == first.body)

        // Another query is another key; report-sized ranges (a day or more) live 5 minutes.
        var other = short
        other.aggregation = .max
        #expect(reader.cacheKey(for: other) != key)
        let long = query(.names(["p.m"]), from: now - 2 * day, step: day, .avg)
        let third = try await reader.cachedRange(long, now: now, encode: encode)
        #expect(!third.hit)
        #expect(String(decoding: third.body, as: UTF8.self) == "avg=[\((1.0 + 3 + 100) / 3)]")
        let longTTL = try await seed.client.command(["TTL", reader.cacheKey(for: long)]).integer ?? -1
        #expect((31...300).contains(longTTL))

        // A value under the key that is not this query's (a hash collision, or junk) is a miss, then replaced.
        _ = try await seed.client.command(["SET", key, "something else\n{}", "EX", "30"])
        let afterJunk = try await reader.cachedRange(short, now: now, encode: encode)
        #expect(!afterJunk.hit)
        #expect(String(decoding: afterJunk.body, as: UTF8.self) == "avg=[\((1.0 + 3 + 100) / 3)]")
    }

    @Test func badQueriesAreNeverCached() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let (reader, seed) = try reader(redis, prefix: "r8")
        let backwards = query(.names(["p.m"]), from: now, to: now - hour)
        await #expect(throws: QueryError.self) { try await reader.cachedRange(backwards, now: now, encode: { _ in [] }) }
        let tooMany = query(.names(["p.m"]), from: now - 30 * day, step: 1_000, .avg, .fixed(.raw))
        await #expect(throws: QueryError.self) { try await reader.cachedRange(tooMany, now: now, encode: { _ in [] }) }
        #expect(try await seed.client.command(["KEYS", "r8:cache:*"]) == .array([]))
    }

    @Test func redisDownIsAConnectionError() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(redis.url).get(), connectTimeout: .milliseconds(500)))
        let reader = TimeSeriesReader(client: client, keys: RedisKeys(prefix: "r9"))
        redis.kill()
        do {
            _ = try await reader.range(query(.names(["p.m"]), from: now - hour), now: now)
            Issue.record("reading with Redis down must fail")
        } catch let error as RedisError {
            #expect(error.isConnectionError)
        }
    }
}
