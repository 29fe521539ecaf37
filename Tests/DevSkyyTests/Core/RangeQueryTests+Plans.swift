import DevSkyyCore
import Testing

/// A UTC midnight: 2025-06-16T00:00:00Z.
private let now: Int64 = 1_750_032_000_000
private let minute: Int64 = 60_000
private let hour: Int64 = 3_600_000
private let day: Int64 = 86_400_000

extension RangeQueryTests {
    @Suite("Range query parameters")
    struct Parameters {
        @Test func readsEveryParameter() throws {
            let query = try RangeQuery(parameters: [
                ("series", "b.m"), ("series", "a.m"), ("series", "b.m"), ("from", "-1h"), ("to", "1700000000"), ("step", "5m"),
                ("agg", "max"), ("resolution", "1m"), ("max_points", "200"),
            ])
            #expect(
                query
                    == RangeQuery(
                        selection: .names(["a.m", "b.m"]), from: .relative(-3_600_000), to: .absolute(1_700_000_000_000), step: 300_000,
                        aggregation: .max, resolution: .fixed(.minute), maxPoints: 200))
        }

        @Test func defaults() throws {
            let query = try RangeQuery(parameters: [("match", "partnership=technical"), ("from", "now-1d")])
            #expect(query.to == .now)
            #expect(query.step == nil)
            #expect(query.aggregation == .avg)
            #expect(query.resolution == .auto)
            #expect(query.maxPoints == 1_000)
            #expect(query.selection == .matcher(try SeriesMatcher.parse(#"{partnership="technical"}"#)))
        }

        @Test(arguments: [("60", Int64(60_000)), ("0.5", 500), ("5m", 300_000), ("1d", 86_400_000), ("250ms", 250)])
        func steps(text: String, ms: Int64) throws {
            #expect(try RangeQuery(parameters: [("series", "a.m"), ("from", "-1h"), ("step", text)]).step == ms)
        }

        static let invalid: [(parameters: [(String, String)], parameter: String, fragment: String)] = [
            ([("from", "-1h")], "series", "is required"),
            ([("series", "a.m"), ("match", "a=b"), ("from", "-1h")], "match", "not both"),
            ([("series", "a.m")], "from", "is required"),
            ([("series", "a.m"), ("from", "yesterday")], "from", #""yesterday" is not a time"#),
            ([("series", "a.m"), ("from", "-1h"), ("to", "soon")], "to", "is not a time"),
            ([("series", "a.m"), ("from", "-1h"), ("step", "0s")], "step", "not a positive duration"),
            ([("series", "a.m"), ("from", "-1h"), ("step", "-5")], "step", "not a positive duration"),
            ([("series", "a.m"), ("from", "-1h"), ("step", "fast")], "step", "not a positive duration"),
            ([("series", "a.m"), ("from", "-1h"), ("agg", "median")], "agg", #"unknown aggregation "median""#),
            ([("series", "a.m"), ("from", "-1h"), ("resolution", "5m")], "resolution", #"unknown resolution "5m""#),
            ([("series", "a.m"), ("from", "-1h"), ("max_points", "1")], "max_points", "from 2 to 11000"),
            ([("series", "a.m"), ("from", "-1h"), ("max_points", "20000")], "max_points", "from 2 to 11000"),
            ([("series", "a.m"), ("from", "-1h"), ("aggregation", "avg")], "aggregation", "unknown parameter"),
            ([("series", "a.m"), ("from", "-1h"), ("from", "-2h")], "from", "more than once"),
            ([("series", ""), ("from", "-1h")], "series", "is empty"),
            ([("match", "{a=b"), ("from", "-1h")], "match", "column 5"),
        ]

        @Test(arguments: invalid)
        func rejectsNamingTheParameter(parameters: [(String, String)], parameter: String, fragment: String) {
            do {
                _ = try RangeQuery(parameters: parameters.map { (name: $0.0, value: $0.1) })
                Issue.record("expected an error for \(parameters)")
            } catch {
                #expect(error.parameter == parameter)
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }

        @Test func toBeforeFromIsAnError() throws {
            let query = RangeQuery(selection: .names(["a.m"]), from: .absolute(2_000), to: .absolute(1_000))
            #expect(throws: QueryError.self) { try query.bounds(now: now) }
            do {
                _ = try query.bounds(now: now)
            } catch {
                #expect(error.parameter == "to")
                #expect(error.message.contains("is before from"))
            }
            #expect(
                try RangeQuery(selection: .names(["a.m"]), from: .absolute(1_000), to: .absolute(1_000)).bounds(now: now) == 1_000...1_000)
        }

        @Test func normalizedTextIgnoresOrderAndKeepsRelativeTimes() throws {
            let a = try RangeQuery(parameters: [("match", #"{platform="x",partnership="p"}"#), ("from", "-1h")])
            let b = try RangeQuery(parameters: [("match", "partnership=p, platform=x"), ("from", "now-60m"), ("to", "now")])
            #expect(a.normalized == b.normalized)
            #expect(a.normalized.contains("from=now-3600000"))
            var c = a
            c.aggregation = .max
            #expect(c.normalized != a.normalized)
            let names = try RangeQuery(parameters: [("series", "b.m"), ("series", "a.m"), ("from", "1")])
            let reordered = try RangeQuery(parameters: [("series", "a.m"), ("series", "b.m"), ("from", "1")])
            #expect(names.normalized == reordered.normalized)
            // Length-prefixed names: a comma inside a name cannot pass for two names.
            #expect(
                RangeQuery(selection: .names(["a.m,x=1"]), from: .now).normalized
                    != RangeQuery(selection: .names(["a.m", "x=1"]), from: .now).normalized)
        }
    }
}

extension RangeQueryTests {
    @Suite("Automatic resolution")
    struct AutomaticResolution {
        /// (range length, raw samples in it, point budget) → resolution, with the default retentions.
        @Test(arguments: [
            (hour, 360, 1_000, Resolution.raw),
            (hour, 5_000, 1_000, .minute),
            (day, 8_640, 1_000, .hour),
            (day, 900, 1_000, .raw),
            (3 * day, 0, 1_000, .hour),
            (10 * day, 0, 20_000, .minute),
            (30 * day, 0, 1_000, .hour),
            (365 * day, 0, 1_000, .day),
            (12 * hour, 5_000, 100, .hour),
            // Nothing fits 50 points over 100 days: the coarsest resolution that still holds the start.
            (100 * day, 0, 50, .day),
            // Older than every retention: the resolution kept longest.
            (3 * 365 * day, 0, 1_000, .day),
        ])
        func choosesTheFinestThatCoversAndFits(length: Int64, rawPoints: Int, maxPoints: Int, expected: Resolution) {
            let chosen = ResolutionChooser.choose(
                range: (now - length)...now, now: now, retention: .init(), maxPoints: maxPoints, rawPoints: rawPoints)
            #expect(chosen == expected)
        }

        @Test func retentionBoundaryIsInclusive() {
            let retention = RetentionSettings()
            #expect(ResolutionChooser.covers(.raw, from: now - 2 * day, now: now, retention: retention))
            #expect(!ResolutionChooser.covers(.raw, from: now - 2 * day - 1, now: now, retention: retention))
            #expect(ResolutionChooser.covers(.minute, from: now - 14 * day, now: now, retention: retention))
            #expect(
                ResolutionChooser.choose(
                    range: (now - 3 * day)...now, now: now, retention: .init(raw: .seconds(7 * 86_400)), maxPoints: 1_000, rawPoints: 500)
                    == .raw)
        }

        @Test func rollupPointsAreBucketsTouched() {
            #expect(ResolutionChooser.points(.hour, range: (now - 30 * day)...now, rawPoints: 0) == 721)
            #expect(ResolutionChooser.points(.minute, range: (now + 59_999)...(now + 60_000), rawPoints: 0) == 2)
            #expect(ResolutionChooser.points(.raw, range: 0...now, rawPoints: 17) == 17)
        }
    }
}

extension RangeQueryTests {
    @Suite("Range plans")
    struct Plans {
        private func plan(
            _ from: QueryTime, _ to: QueryTime = .now, step: Int64? = nil, resolution: ResolutionRequest = .auto, raw: Int? = 0
        )
            throws(QueryError) -> RangePlan
        {
            try RangePlan(
                RangeQuery(selection: .names(["a.m"]), from: from, to: to, step: step, resolution: resolution), now: now,
                retention: .init(),
                rawPoints: raw)
        }

        @Test func defaultStepsFitTheBudget() throws {
            let hourPlan = try plan(.relative(-hour))
            #expect(hourPlan.resolution == .raw)
            #expect(hourPlan.step == 5_000)
            #expect(hourPlan.windowCount == 721)
            let monthPlan = try plan(.relative(-30 * day))
            #expect(monthPlan.resolution == .hour)
            #expect(monthPlan.step == hour)
            #expect(monthPlan.windowCount == 721)
            let yearPlan = try plan(.relative(-365 * day))
            #expect(yearPlan.resolution == .day)
            #expect(yearPlan.step == day)
            #expect(yearPlan.windowCount == 366)
            let decade = try plan(.relative(-3_650 * day), resolution: .fixed(.day))
            #expect(decade.step == 4 * day)
            #expect(decade.windowCount <= 1_000)
            let millennium = try plan(.relative(-365_000 * day), resolution: .fixed(.day))
            #expect(millennium.windowCount <= 1_000)
            #expect(millennium.windowCount > 990, "the smallest whole-day step that fits")
        }

        @Test func windowsAlignToMultiplesOfTheStep() throws {
            let p = try plan(
                .absolute(now + 10 * minute + 30_000), .absolute(now + 40 * minute), step: 15 * minute, resolution: .fixed(.raw))
            #expect(p.firstWindow == now)
            #expect(p.windowCount == 3)
            #expect(p.readRange == (now + 10 * minute + 30_000)...(now + 40 * minute))
            // A rollup is read from the bucket holding `from`.
            let rolled = try plan(
                .absolute(now + 10 * minute + 30_000), .absolute(now + 40 * minute), step: 5 * minute, resolution: .fixed(.hour))
            #expect(rolled.readRange == now...(now + 40 * minute))
            #expect(rolled.firstWindow == now)
        }

        @Test func tooManyPointsIsAnErrorOnStep() throws {
            do {
                _ = try plan(.relative(-30 * day), step: minute, resolution: .fixed(.raw))
                Issue.record("expected too many points")
            } catch {
                #expect(error.parameter == "step")
                #expect(error.isTooLarge)
                #expect(error.message.contains("43201 points per series, more than max_points 1000"))
            }
        }
    }
}

extension RangeQueryTests {
    @Suite("Aggregation into windows")
    struct Windows {
        private func plan(_ aggregation: Aggregation, step: Int64 = minute, resolution: Resolution = .raw) throws(QueryError) -> RangePlan {
            try RangePlan(
                RangeQuery(
                    selection: .names(["a.m"]), from: .absolute(now), to: .absolute(now + 3 * minute - 1), step: step,
                    aggregation: aggregation,
                    resolution: .fixed(resolution)),
                now: now, retention: .init())
        }

        /// Window 0 holds 1, 5, 3 (last = 3 at +40 s); window 1 is empty; window 2 holds 10.
        static let samples = [
            RangePoint(time: now, value: 1), RangePoint(time: now + 40_000, value: 3), RangePoint(time: now + 20_000, value: 5),
            RangePoint(time: now + 2 * minute + 1, value: 10),
        ]

        @Test(arguments: [
            (Aggregation.avg, [3.0, 10]), (.min, [1, 10]), (.max, [5, 10]), (.sum, [9, 10]), (.count, [3, 1]), (.last, [3, 10]),
        ])
        func rawSamples(aggregation: Aggregation, expected: [Double]) throws {
            let result = SeriesPoints(series: SeriesName(parsing: "a.m"), aggregating: Self.samples, plan: try plan(aggregation))
            #expect(result.points.map(\.time) == [now, now + 2 * minute], "empty windows are left out")
            #expect(result.points.map(\.value) == expected)
        }

        /// Two 1m buckets in one 2m window: avg is the sum of sums over the sum of counts, not a mean of means.
        static let buckets = [
            RangePoint(time: now + minute, count: 3, sum: 60, min: 5, max: 40, last: 7, lastTime: now + minute + 59_000),
            RangePoint(time: now, count: 1, sum: 10, min: 10, max: 10, last: 10, lastTime: now + 5_000),
        ]

        @Test(arguments: [
            (Aggregation.avg, 17.5), (.min, 5), (.max, 40), (.sum, 70), (.count, 4), (.last, 7),
        ])
        func rollupBuckets(aggregation: Aggregation, expected: Double) throws {
            let result = SeriesPoints(
                series: SeriesName(parsing: "a.m"), aggregating: Self.buckets,
                plan: try plan(aggregation, step: 2 * minute, resolution: .minute))
            #expect(result.points == [WindowValue(time: now, value: expected)])
        }

        @Test func pointsOutsideTheRangeAreIgnored() throws {
            let stray = [
                RangePoint(time: now - 1, value: 100), RangePoint(time: now + 3 * minute, value: 100), RangePoint(time: now, value: 1),
            ]
            let result = SeriesPoints(series: SeriesName(parsing: "a.m"), aggregating: stray, plan: try plan(.sum))
            #expect(result.points == [WindowValue(time: now, value: 1)])
        }

        @Test(arguments: [
            ("1700000000000:99.95", RangePoint(time: 1_700_000_000_000, value: 99.95)),
            ("1700000000000:1e-05", RangePoint(time: 1_700_000_000_000, value: 0.00001)),
            ("1700000000000:-3", RangePoint(time: 1_700_000_000_000, value: -3)),
        ])
        func readsRawMembers(member: String, expected: RangePoint) {
            #expect(RangePoint(member: member, resolution: .raw) == expected)
        }

        @Test func readsRollupMembers() {
            #expect(
                RangePoint(member: "1700000040000:3:0.30000000000000004:0.1:0.10000000000000001:0.1:1700000099000", resolution: .minute)
                    == RangePoint(
                        time: 1_700_000_040_000, count: 3, sum: 0.30000000000000004, min: 0.1, max: 0.1, last: 0.1,
                        lastTime: 1_700_000_099_000)
            )
            #expect(
                RangePoint(member: "0:2:1e+20:-1:1e+20:5:59999", resolution: .day)
                    == RangePoint(time: 0, count: 2, sum: 1e20, min: -1, max: 1e20, last: 5, lastTime: 59_999))
        }

        @Test(arguments: [
            ("bad", Resolution.raw), ("17:abc", .raw), (":1", .raw), ("1:2:3:4:5:6", .minute), ("1:0:0:0:0:0:1", .hour),
            ("1:x:3:4:5:6:7", .hour), ("1:2:3:4:5:6:7:8", .hour), ("1700000000000:5", .hour),
        ])
        func rejectsMalformedMembers(member: String, resolution: Resolution) {
            #expect(RangePoint(member: member, resolution: resolution) == nil)
        }
    }
}
