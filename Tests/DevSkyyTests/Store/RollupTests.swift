import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

/// One rollup bucket as stored: `start:count:sum:min:max:last:lastMs`.
struct Bucket: Equatable, CustomStringConvertible {
    var start: Int64
    var count: Int
    var sum: Double
    var min: Double
    var max: Double
    var last: Double
    var lastMs: Int64

    init(start: Int64, count: Int, sum: Double, min: Double, max: Double, last: Double, lastMs: Int64) {
        (self.start, self.count, self.sum, self.min, self.max, self.last, self.lastMs) = (start, count, sum, min, max, last, lastMs)
    }

    init?(member: String) {
        let parts = member.split(separator: ":").map(String.init)
        guard parts.count == 7, let start = Int64(parts[0]), let count = Int(parts[1]), let sum = Double(parts[2]),
            let min = Double(parts[3]), let max = Double(parts[4]), let last = Double(parts[5]), let lastMs = Int64(parts[6])
        else { return nil }
        self.init(start: start, count: count, sum: sum, min: min, max: max, last: last, lastMs: lastMs)
    }

    /// The buckets of `resolution` computed here from the samples (timestamp → value).
    static func reference(_ samples: [Int64: Double], _ resolution: Resolution) -> [Bucket] {
        var buckets: [Int64: Bucket] = [:]
        for (timestamp, value) in samples.sorted(by: { $0.key < $1.key }) {
            let start = resolution.bucketStart(timestamp)
            if var bucket = buckets[start] {
                bucket.count += 1
                bucket.sum += value
                bucket.min = Swift.min(bucket.min, value)
                bucket.max = Swift.max(bucket.max, value)
                (bucket.last, bucket.lastMs) = (value, timestamp)
                buckets[start] = bucket
            } else {
                buckets[start] = Bucket(start: start, count: 1, sum: value, min: value, max: value, last: value, lastMs: timestamp)
            }
        }
        return buckets.values.sorted { $0.start < $1.start }
    }

    /// Equal, with sums compared to a relative 1e-12 (Redis adds in arrival order, the reference in time order).
    func matches(_ other: Bucket) -> Bool {
        start == other.start && count == other.count && min == other.min && max == other.max && last == other.last
            && lastMs == other.lastMs && abs(sum - other.sum) <= 1e-12 * Swift.max(1, abs(sum))
    }

    var description: String { "\(start):\(count):\(sum):\(min):\(max):\(last):\(lastMs)" }
}

@Suite("Rollups and retention against a real redis-server")
struct RollupTests {
    /// 2023-11-14T22:13:20Z; the tests' clock sits a little after it.
    static let base: Int64 = 1_700_000_000_000

    static func buckets(_ client: RedisClient, _ key: String) async throws -> [Bucket] {
        let members = try await client.command(["ZRANGE", key, "0", "-1"]).array?.compactMap(\.string) ?? []
        return members.compactMap(Bucket.init(member:))
    }

    /// A resolution's buckets as readers see them: for hours and days, the stored buckets plus the open
    /// (newest) minute, which the writer folds in only when a later minute begins.
    static func combined(_ client: RedisClient, _ keys: RedisKeys, _ series: String, _ resolution: Resolution) async throws -> [Bucket] {
        var buckets = try await Self.buckets(client, keys.series(series, resolution))
        guard resolution != .minute, let open = try await Self.buckets(client, keys.series(series, .minute)).last else { return buckets }
        let start = resolution.bucketStart(open.start)
        if let index = buckets.firstIndex(where: { $0.start == start }) {
            var bucket = buckets[index]
            bucket.count += open.count
            bucket.sum += open.sum
            bucket.min = min(bucket.min, open.min)
            bucket.max = max(bucket.max, open.max)
            if open.lastMs >= bucket.lastMs { (bucket.last, bucket.lastMs) = (open.last, open.lastMs) }
            buckets[index] = bucket
        } else {
            buckets.append(
                Bucket(start: start, count: open.count, sum: open.sum, min: open.min, max: open.max, last: open.last, lastMs: open.lastMs))
            buckets.sort { $0.start < $1.start }
        }
        return buckets
    }

    static func raw(_ client: RedisClient, _ key: String) async throws -> [String] {
        try await client.command(["ZRANGE", key, "0", "-1"]).array?.compactMap(\.string) ?? []
    }

    @Test func bucketsEqualAReferenceComputedFromTheRawSamplesLateSamplesIncluded() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r1")
        let now = Self.base + 30 * 3_600_000
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), latestTTL: [:], clock: { now })
        // 26 hours of samples every 97 s (crossing minutes, hours and a day), with values that are not round.
        var generator = SplitMix(seed: 42)
        var samples: [(Int64, Double)] = []
        var timestamp = Self.base
        while timestamp < Self.base + 26 * 3_600_000 {
            samples.append((timestamp, (generator.next() * 2_000 - 1_000).rounded(toPlaces: 3)))
            timestamp += 97_000
        }
        // Written in batches of 50 where every fifth batch arrives two batches late.
        var batches = stride(from: 0, to: samples.count, by: 50).map { Array(samples[$0..<min($0 + 50, samples.count)]) }
        for index in stride(from: 4, to: batches.count, by: 5) { batches.swapAt(index, index - 2) }
        for batch in batches {
            try await writer.write(batch.map { Sample(partnership: "p", metric: "m", timestamp: $0.0, value: $0.1) })
        }
        let reference = Dictionary(uniqueKeysWithValues: samples)
        #expect(try await Self.raw(client, keys.series("p.m")).count == samples.count)
        for resolution in Resolution.rollups {
            let stored = try await Self.combined(client, keys, "p.m", resolution)
            let expected = Bucket.reference(reference, resolution)
            #expect(stored.count == expected.count, "\(resolution)")
            for (got, want) in zip(stored, expected) {
                #expect(got.matches(want), "\(resolution): \(got) ≠ \(want)")
            }
        }
    }

    @Test func aSampleWithTheSameTimestampReplacesTheFirstAndReplaysChangeNothing() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r2")
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), latestTTL: [:], clock: { Self.base + 600_000 })
        let first = [(Self.base, 5.0), (Self.base + 10_000, 7.0), (Self.base + 20_000, 1.5)].map {
            Sample(partnership: "p", metric: "m", timestamp: $0.0, value: $0.1)
        }
        try await writer.write(first)
        try await writer.write(first)
        #expect(try await Self.raw(client, keys.series("p.m")).count == 3, "a replayed batch adds nothing")
        let minute = Resolution.minute.bucketStart(Self.base)
        #expect(
            try await Self.buckets(client, keys.series("p.m", .minute))
                == [Bucket(start: minute, count: 3, sum: 13.5, min: 1.5, max: 7, last: 1.5, lastMs: Self.base + 20_000)]
        )

        try await writer.write([Sample(partnership: "p", metric: "m", timestamp: Self.base + 10_000, value: 2)])
        #expect(
            try await Self.raw(client, keys.series("p.m"))
                == ["\(Self.base):5", "\(Self.base + 10_000):2", "\(Self.base + 20_000):1.5"]
        )
        for resolution in Resolution.rollups {
            let start = resolution.bucketStart(Self.base)
            #expect(
                try await Self.combined(client, keys, "p.m", resolution)
                    == [Bucket(start: start, count: 3, sum: 8.5, min: 1.5, max: 5, last: 1.5, lastMs: Self.base + 20_000)],
                "\(resolution)"
            )
        }
    }

    @Test func exactKeysEncodingsRetentionTrimmingAndTTLs() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r3")
        let retention = RetentionSettings(raw: .seconds(3_600), minute: .seconds(7_200), hour: .seconds(86_400), day: .seconds(10 * 86_400))
        let now = Self.base + 4 * 3_600_000
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: retention, latestTTL: [:], clock: { now })
        // One sample 3 h old (past raw and 1m retention), one 30 min old, one now.
        let old = now - 3 * 3_600_000
        try await writer.write(
            [(old, 1.0), (now - 1_800_000, 0.1), (now, 1e20)].map { Sample(partnership: "p", metric: "m", timestamp: $0.0, value: $0.1) }
        )
        let all = try await client.command(["KEYS", "r3:ts:*"]).array?.compactMap(\.string).sorted()
        #expect(all == ["r3:ts:p.m", "r3:ts:p.m:1d", "r3:ts:p.m:1h", "r3:ts:p.m:1m"])
        #expect(try await Self.raw(client, keys.series("p.m")) == ["\(now - 1_800_000):0.1", "\(now):1e+20"])
        let minutes = try await client.command(["ZRANGE", keys.series("p.m", .minute), "0", "-1"]).array?.compactMap(\.string)
        let (earlier, latest) = (Resolution.minute.bucketStart(now - 1_800_000), Resolution.minute.bucketStart(now))
        #expect(
            minutes == [
                "\(earlier):1:0.1:0.1:0.1:0.1:\(now - 1_800_000)",
                "\(latest):1:1e+20:1e+20:1e+20:1e+20:\(now)",
            ],
            "members are start:count:sum:min:max:last:lastMs, numbers in their shortest exact form"
        )
        let hours = try await Self.buckets(client, keys.series("p.m", .hour))
        let hourStarts = Set([old, now - 1_800_000].map(Resolution.hour.bucketStart)).sorted()
        #expect(
            hours.map(\.start) == hourStarts, "the 3 h old sample is gone from raw and 1m, still in 1h; the open minute is not in 1h yet")
        let scores = try await client.command(["ZRANGE", keys.series("p.m", .hour), "0", "-1", "WITHSCORES"]).array?.compactMap(\.string)
        #expect(scores?.enumerated().filter { $0.offset % 2 == 1 }.map(\.element) == hours.map { String($0.start) })
        for (resolution, seconds) in [(Resolution.raw, 3_600), (.minute, 7_200), (.hour, 86_400), (.day, 864_000)] {
            let ttl = try await client.command(["TTL", keys.series("p.m", resolution)]).integer ?? -1
            #expect((seconds - 10...seconds).contains(Int(ttl)), "\(resolution) TTL \(ttl)")
        }
    }

    @Test func hoursAndDaysTakeAMinuteWhenTheNextOneBegins() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r6")
        let minute = Resolution.minute.bucketStart(Self.base) + 60_000
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), latestTTL: [:], clock: { minute + 600_000 })
        func write(_ offset: Int64, _ value: Double) async throws {
            try await writer.write([Sample(partnership: "p", metric: "m", timestamp: minute + offset, value: value)])
        }
        try await write(1_000, 4)
        try await write(2_000, 6)
        #expect(try await Self.buckets(client, keys.series("p.m", .hour)).isEmpty, "the open minute is not folded yet")
        try await write(61_000, 1)
        let hour = Resolution.hour.bucketStart(minute)
        #expect(
            try await Self.buckets(client, keys.series("p.m", .hour))
                == [Bucket(start: hour, count: 2, sum: 10, min: 4, max: 6, last: 6, lastMs: minute + 2_000)],
            "a new minute folds the previous one"
        )
        // A late sample for the closed minute goes into its minute, hour and day at once.
        try await write(500, 10)
        #expect(
            try await Self.buckets(client, keys.series("p.m", .minute)).first
                == Bucket(start: minute, count: 3, sum: 20, min: 4, max: 10, last: 6, lastMs: minute + 2_000)
        )
        #expect(try await Self.buckets(client, keys.series("p.m", .day)).first?.count == 3)
        #expect(try await Self.combined(client, keys, "p.m", .day).first?.count == 4)
    }

    @Test func rollupsOffStillReplacesEqualTimestamps() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r4")
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), rollups: false, latestTTL: [:], clock: { Self.base })
        try await writer.write([Sample(partnership: "p", metric: "m", timestamp: Self.base, value: 1)])
        try await writer.write([Sample(partnership: "p", metric: "m", timestamp: Self.base, value: 2)])
        #expect(try await Self.raw(client, keys.series("p.m")) == ["\(Self.base):2"])
        #expect(try await client.command(["EXISTS", keys.series("p.m", .minute)]).integer == 0)
    }

    @Test func rollupsOffNewerSamplesGoPlainOlderOnesStillReplace() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r7")
        let writer = TimeSeriesWriter(
            client: client, keys: keys, retention: .init(raw: .seconds(3_600)), rollups: false, latestTTL: [:],
            clock: { Self.base + 60_000 }
        )
        func samples(_ points: [(Int64, Double)]) -> [Sample] {
            points.map { Sample(partnership: "p", metric: "m", timestamp: Self.base + $0.0, value: $0.1) }
        }
        try await writer.write(samples([(0, 1)]))
        _ = try await client.command(["SCRIPT", "FLUSH"])
        try await writer.write(samples([(1_000, 2), (2_000, 3)]))
        let memory = try await client.command(["INFO", "memory"]).string ?? ""
        #expect(memory.contains("number_of_cached_scripts:0"), "newer samples needed no script (its cache was flushed)")
        try await writer.write(samples([(1_000, 20)]))
        try await writer.write(samples([(2_000, 3), (1_000, 2)]))
        #expect(try await Self.raw(client, keys.series("p.m")) == ["\(Self.base):1", "\(Self.base + 1_000):2", "\(Self.base + 2_000):3"])
        let ttl = try await client.command(["TTL", keys.series("p.m")]).integer ?? -1
        #expect((3_590...3_600).contains(ttl))
    }

    @Test func aTimestampTwiceInOneBatchOutOfOrderIsOneSampleTheLastValue() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r8")
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), latestTTL: [:], clock: { Self.base + 60_000 })
        let minute = Resolution.minute.bucketStart(Self.base)
        try await writer.write(
            [(minute + 20_000, 1.0), (minute + 10_000, 2.0), (minute + 20_000, 3.0)].map {
                Sample(partnership: "p", metric: "m", timestamp: $0.0, value: $0.1)
            }
        )
        #expect(try await Self.raw(client, keys.series("p.m")) == ["\(minute + 10_000):2", "\(minute + 20_000):3"])
        #expect(
            try await Self.buckets(client, keys.series("p.m", .minute))
                == [Bucket(start: minute, count: 2, sum: 5, min: 2, max: 3, last: 3, lastMs: minute + 20_000)]
        )
        #expect(try await client.command(["HGET", "r8:latest:p", "m"]) == .string("3"), "the newest value, the later of the two")
    }

    @Test func withoutRollupsQueriesReadRawAndRefuseARollup() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r9")
        let now = Timestamp.now()
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), rollups: false, latestTTL: [:], clock: { now })
        // More samples in the hour than the point budget: with rollups an automatic choice would read 1m.
        try await writer.write(
            (0..<50).map { Sample(partnership: "p", metric: "m", timestamp: now - 3_000_000 + Int64($0) * 60_000, value: 1) })
        let reader = TimeSeriesReader(client: client, keys: keys, rollups: false)
        let answer = try await reader.range(
            RangeQuery(
                selection: .names(["p.m"]), from: .absolute(now - 3_600_000), to: .absolute(now), aggregation: .count, maxPoints: 10),
            now: now
        )
        #expect(answer.plan.resolution == .raw)
        #expect(answer.series.first?.points.map(\.value).reduce(0, +) == 50)
        await #expect(throws: QueryError.self) {
            _ = try await reader.range(
                RangeQuery(selection: .names(["p.m"]), from: .absolute(now - 3_600_000), resolution: .fixed(.minute)), now: now
            )
        }
    }

    @Test func aFlushedScriptCacheIsReloaded() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "r5")
        let writer = TimeSeriesWriter(client: client, keys: keys, retention: .init(), latestTTL: [:], clock: { Self.base })
        try await writer.write([Sample(partnership: "p", metric: "m", timestamp: Self.base, value: 1)])
        _ = try await client.command(["SCRIPT", "FLUSH"])
        try await writer.write([Sample(partnership: "p", metric: "m", timestamp: Self.base + 1_000, value: 2)])
        #expect(try await Self.raw(client, keys.series("p.m")).count == 2)
    }
}

/// A small deterministic generator, so a failing case can be replayed.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A value in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
