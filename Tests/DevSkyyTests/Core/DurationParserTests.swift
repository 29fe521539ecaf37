import DevSkyyCore
import Testing

@Suite("Durations")
struct DurationParserTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("10s", .seconds(10)), ("5m", .seconds(300)),
        ("1h", .seconds(3_600)), ("7d", .seconds(7 * 86_400)), ("0s", .zero),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test(arguments: ["", "10", "s", "1.5s", "-1s", "10 s", "10sec", "ms", "1w", "99999999999999999d"])
    func rejects(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test func formatsInTheLargestWholeUnit() {
        #expect(DurationParser.format(.seconds(120)) == "2m")
        #expect(DurationParser.format(.milliseconds(1_500)) == "1500ms")
        #expect(DurationParser.format(.seconds(86_400)) == "1d")
    }
}
