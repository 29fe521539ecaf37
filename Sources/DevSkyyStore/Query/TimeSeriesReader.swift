import DevSkyyCore

/// Reads series history back from Redis: the series index, and ranges at the resolution a plan picks.
public struct TimeSeriesReader: Sendable {
    let client: RedisClient
    let keys: RedisKeys
    public let retention: RetentionSettings
    /// False when the writer keeps no rollups: every query reads the raw samples.
    public let rollups: Bool

    /// Index members asked for per SSCAN call.
    static let scanCount = 1_000

    public init(client: RedisClient, keys: RedisKeys, retention: RetentionSettings = .init(), rollups: Bool = true) {
        self.client = client
        self.keys = keys
        self.retention = retention
        self.rollups = rollups
    }

    /// The indexed series the matcher selects (every series for nil), sorted by name.
    public func series(matching matcher: SeriesMatcher?) async throws(RedisError) -> [SeriesName] {
        var names: Set<String> = []
        var cursor = "0"
        // SSCAN rather than SMEMBERS: a large index never blocks Redis for long.
        repeat {
            let reply = try await client.command(["SSCAN", keys.seriesIndex, cursor, "COUNT", String(Self.scanCount)])
            guard let page = reply.array, page.count == 2, let next = page[0].string, let members = page[1].array else {
                throw Self.unexpected(reply, "SSCAN")
            }
            names.formUnion(members.compactMap(\.string))
            cursor = next
        } while cursor != "0"
        return names.map(SeriesName.init(parsing:)).filter { matcher?.matches($0) ?? true }.sorted()
    }

    /// Reads the query's series at the planned resolution and aggregates them into windows.
    /// - Throws: `QueryError` for a query that cannot be answered as asked, `RedisError` when Redis fails.
    public func range(_ query: RangeQuery, now: Int64) async throws -> RangeResult {
        var query = query
        if !rollups {
            // Without rollups only the raw samples exist: an automatic choice reads them, a rollup asked for is refused.
            if case .fixed(let resolution) = query.resolution, resolution != .raw {
                throw QueryError.invalid("resolution", "\(resolution.rawValue) is not kept (redis.rollups is false); use raw or auto")
            }
            query.resolution = .fixed(.raw)
        }
        let bounds = try query.bounds(now: now)
        let selected: [SeriesName]
        switch query.selection {
        case .names(let names): selected = names.map(SeriesName.init(parsing:))
        case .matcher(let matcher): selected = try await series(matching: matcher)
        }
        try RangeQuery.checkSeriesCount(selected.count)

        var rawPoints: Int?
        if query.resolution == .auto, ResolutionChooser.covers(.raw, from: bounds.lowerBound, now: now, retention: retention) {
            rawPoints = try await mostRawSamples(selected, in: bounds)
        }
        let plan = try RangePlan(query, now: now, retention: retention, rawPoints: rawPoints)
        let range = plan.readRange
        // Hours and days hold every minute but the open (newest) one, which is read and added here.
        let addsOpenMinute = plan.resolution == .hour || plan.resolution == .day
        let reads = selected.flatMap {
            let read = ["ZRANGE", keys.series($0.name, plan.resolution), String(range.lowerBound), String(range.upperBound), "BYSCORE"]
            return addsOpenMinute ? [read, ["ZRANGE", keys.series($0.name, .minute), "-1", "-1"]] : [read]
        }
        // In one transaction when the open minute is read too: the writer folding it into its hour between the two
        // reads would drop it from the answer.
        let replies = try await addsOpenMinute ? client.transaction(reads) : client.pipeline(reads)
        let perSeries = addsOpenMinute ? 2 : 1
        var series: [SeriesPoints] = []
        for (index, name) in selected.enumerated() {
            let reply = replies[index * perSeries]
            guard let members = reply.array else { throw Self.unexpected(reply, "ZRANGE") }
            // A member that does not parse (written by something else) is skipped, not fatal to the answer.
            var points = members.compactMap { $0.string.flatMap { RangePoint(member: $0, resolution: plan.resolution) } }
            if addsOpenMinute, let open = replies[index * perSeries + 1].array?.first?.string.flatMap(RangePoint.init(rollupMember:)),
                range.contains(open.time)
            {
                var folded = open
                folded.time = plan.resolution.bucketStart(open.time)
                points.append(folded)
            }
            series.append(SeriesPoints(series: name, aggregating: points, plan: plan))
        }
        return RangeResult(plan: plan, series: series)
    }

    /// The most raw samples any of the series holds in the range: one ZCOUNT each, in one round trip.
    private func mostRawSamples(_ series: [SeriesName], in bounds: ClosedRange<Int64>) async throws(RedisError) -> Int {
        guard !series.isEmpty else { return 0 }
        let replies = try await client.pipeline(
            series.map { ["ZCOUNT", keys.series($0.name), String(bounds.lowerBound), String(bounds.upperBound)] }
        )
        var most: Int64 = 0
        for reply in replies {
            guard let count = reply.integer else { throw Self.unexpected(reply, "ZCOUNT") }
            most = max(most, count)
        }
        return Int(most)
    }

    static func unexpected(_ reply: RedisReply, _ command: String) -> RedisError {
        .reply("\(command): \(reply.error ?? "unexpected reply")")
    }
}
