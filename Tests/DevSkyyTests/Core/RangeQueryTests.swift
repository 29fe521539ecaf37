import DevSkyyCore
import Testing

/// A UTC midnight: 2025-06-16T00:00:00Z.
private let now: Int64 = 1_750_032_000_000

/// Range queries, pure: series names, matchers, times, parameters, resolution choice, plans and aggregation.
@Suite("Range queries")
struct RangeQueryTests {}

extension RangeQueryTests {
    @Suite("Series names read back")
    struct SeriesNames {
        @Test(arguments: [
            ("technical.system_uptime", "technical", "system_uptime", [String]()),
            ("technical.followers,platform=instagram", "technical", "followers", ["platform=instagram"]),
            ("brand.reach,platform=x,region=eu-west", "brand", "reach", ["platform=x", "region=eu-west"]),
            // A label value may hold ',' and '=': only `,name=` starts a new label.
            ("p.m,tag=a,b", "p", "m", ["tag=a,b"]),
            ("p.m,a=1,b=x=y", "p", "m", ["a=1", "b=x=y"]),
            ("p.m,tag=a,,b=2", "p", "m", ["tag=a,", "b=2"]),
            ("weird", "", "weird", []),
        ])
        func parses(name: String, partnership: String, metric: String, labels: [String]) {
            let parsed = SeriesName(parsing: name)
            #expect(parsed.partnership == partnership)
            #expect(parsed.metric == metric)
            #expect(parsed.labels.map { "\($0.name)=\($0.value)" } == labels)
            #expect(parsed.name == name)
        }

        @Test func readsBackEverySampleName() {
            let samples = [
                Sample(partnership: "technical", metric: "uptime", timestamp: 0, value: 1),
                Sample(
                    partnership: "brand", metric: "followers", labels: [.init("platform", "tiktok"), .init("account", "main")],
                    timestamp: 0, value: 1),
                Sample(partnership: "visual", metric: "score", labels: [.init("model", "v1.2,beta")], timestamp: 0, value: 1),
            ]
            for sample in samples {
                let parsed = SeriesName(parsing: sample.series)
                #expect(parsed.partnership == sample.partnership)
                #expect(parsed.metric == sample.metric)
                #expect(parsed.labels == sample.labels)
            }
        }
    }
}

extension RangeQueryTests {
    @Suite("Series matchers")
    struct Matchers {
        @Test(arguments: [
            (#"{partnership="technical",metric="followers"}"#, #"{metric="followers",partnership="technical"}"#),
            ("partnership=technical,platform=instagram", #"{partnership="technical",platform="instagram"}"#),
            (#" { metric =~ "foll.*" , platform != tiktok } "#, #"{metric=~"foll.*",platform!="tiktok"}"#),
            (#"{platform!~"x|y",}"#, #"{platform!~"x|y"}"#),
            (#"{metric="a\"b\\c"}"#, #"{metric="a\"b\\c"}"#),
            (#"metric=~"\d+""#, #"{metric=~"\\d+"}"#),
            ("platform=", #"{platform=""}"#),
            ("{}", "{}"),
            ("", "{}"),
        ])
        func parsesToCanonicalText(text: String, canonical: String) throws {
            #expect(try SeriesMatcher.parse(text).description == canonical)
        }

        @Test(arguments: [
            (#"{partnership="technical""#, #"column 25: expected "}" to close the "{" at column 1"#),
            ("partnership", "column 12: expected one of =, !=, =~, !~ after \"partnership\", found the end"),
            ("1abc=x", "column 1: expected a label name ([A-Za-z_][A-Za-z0-9_]*), found \"1\""),
            (#"metric="foll"#, "column 13: the quoted value opened at column 8 is not closed"),
            (#"metric=~"foll(""#, #"column 9: invalid regular expression for "metric": "foll(""#),
            ("a=b c=d", #"column 5: expected "," or "}" after the value of "a", found "c""#),
            ("a=b}", #"column 4: unexpected "}": there is no "{" to close"#),
            ("{a=b} x", #"column 7: unexpected "x" after the end of the selector"#),
            ("a={", #"column 3: expected a value after "a=" (a "quoted string" or a word), found "{""#),
            ("a.b=c", #"column 2: expected one of =, !=, =~, !~ after "a", found ".""#),
        ])
        func rejectsWithThePosition(text: String, message: String) {
            #expect(throws: QueryError.self) { try SeriesMatcher.parse(text) }
            do {
                _ = try SeriesMatcher.parse(text)
            } catch {
                #expect(error.parameter == "match")
                #expect(error.message == message)
            }
        }

        static let names = [
            "technical.uptime", "technical.followers,platform=instagram", "technical.followers,platform=tiktok",
            "technical.unfollowers,platform=tiktok", "brand.followers,platform=instagram", "brand.reach",
        ]

        @Test(arguments: [
            (#"partnership="technical""#, [0, 1, 2, 3]),
            (#"metric="followers""#, [1, 2, 4]),
            (#"platform="instagram""#, [1, 4]),
            // A missing label reads as empty: != keeps series without it, ="" selects only those.
            (#"platform!="instagram""#, [0, 2, 3, 5]),
            (#"platform="""#, [0, 5]),
            // Regular expressions are anchored at both ends.
            (#"metric=~"foll.*""#, [1, 2, 4]),
            (#"metric!~"foll.*""#, [0, 3, 5]),
            (#"metric=~"followers|reach",platform!="tiktok""#, [1, 4, 5]),
            (#"partnership="technical",metric="followers",platform=~"insta.*""#, [1]),
            (#"partnership="nobody""#, []),
            ("{}", [0, 1, 2, 3, 4, 5]),
        ])
        func selects(selector: String, expected: [Int]) throws {
            let matcher = try SeriesMatcher.parse(selector)
            let selected = Self.names.indices.filter { matcher.matches(SeriesName(parsing: Self.names[$0])) }
            #expect(selected == expected)
        }

        @Test(arguments: [
            ("technical.followers,platform=instagram", true),
            ("technical.uptime", true),
            ("partnership=technical", false),
            (#"{metric="followers"}"#, false),
            ("metric=~a.b", false),
        ])
        func commandLineSelectionTellsNamesFromSelectors(text: String, isName: Bool) throws {
            let selection = try SeriesSelection.parse(text)
            #expect(selection == (isName ? .names([text]) : .matcher(try SeriesMatcher.parse(text))))
        }
    }
}

extension RangeQueryTests {
    @Suite("Query times")
    struct Times {
        @Test(arguments: [
            ("now", QueryTime.relative(0)),
            ("-1h", .relative(-3_600_000)),
            ("now-30m", .relative(-1_800_000)),
            ("-7d", .relative(-7 * 86_400_000)),
            ("1700000000", .absolute(1_700_000_000_000)),
            ("1700000000.5", .absolute(1_700_000_000_500)),
            ("1700000000.123456", .absolute(1_700_000_000_123)),
            ("99999999999", .absolute(99_999_999_999_000)),
            ("100000000000", .absolute(100_000_000_000)),
            ("1700000000000", .absolute(1_700_000_000_000)),
            ("2025-10-25T10:30:00Z", .absolute(1_761_388_200_000)),
            ("2025-10-25T12:30:00.250+02:00", .absolute(1_761_388_200_250)),
            ("2025-10-25T05:00:00-05:30", .absolute(1_761_388_200_000)),
            ("2025-10-25 10:30:00z", .absolute(1_761_388_200_000)),
            ("2024-02-29T00:00:00Z", .absolute(1_709_164_800_000)),
            ("1969-12-31T23:59:59Z", .absolute(-1_000)),
        ])
        func parses(text: String, expected: QueryTime) {
            #expect(QueryTime.parse(text) == expected)
        }

        @Test(arguments: [
            "", "yesterday", "now-", "now-1", "-1x", "+1h", "1700000000.", "1700000000000.5", "2023-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z", "2025-10-25T24:00:00Z", "2025-10-25T10:30:00", "2025-10-25T10:30:00+2:00", "2025-10-25",
            // Further back than a thousand years: refused, so differences of times cannot overflow.
            "-400000d",
        ])
        func rejects(text: String) {
            #expect(QueryTime.parse(text) == nil)
        }

        @Test(arguments: [Int64(0), 1_761_388_200_000, 951_782_400_000, -86_400_000, 4_102_444_800_000])
        func readsBackWhatTimestampWrites(ms: Int64) {
            #expect(QueryTime.parse(Timestamp.iso8601(milliseconds: ms)) == .absolute(ms))
        }

        @Test func relativeTimesCountFromNow() {
            #expect(QueryTime.relative(-3_600_000).resolve(now: now) == now - 3_600_000)
            #expect(QueryTime.absolute(5).resolve(now: now) == 5)
            #expect(QueryTime.relative(-3_600_000).description == "now-3600000")
            #expect(QueryTime.now.description == "now")
        }
    }
}
