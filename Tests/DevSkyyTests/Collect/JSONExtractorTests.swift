import DevSkyyCollect
import DevSkyyCore
import Testing

@Suite("JSON path extraction")
struct JSONExtractorTests {
    static let document = """
        {
          "metrics": {"system_uptime": 99.95, "api_response_time": 85, "healthy": true, "score": "42.5"},
          "items": [{"value": 3}, {"value": 4.5}],
          "social": {"instagram": {"followers": 1200}, "tiktok": {"followers": 800}},
          "a.b": {"c": 7},
          "name": "not a number"
        }
        """

    func extract(_ metrics: [MetricSpec], from body: String = document) throws -> JSONExtractor.Result {
        try JSONExtractor(partnership: "brand", metrics: metrics).extract(Array(body.utf8), timestamp: 1_000)
    }

    @Test func dottedPath() throws {
        let result = try extract([.init(name: "uptime", path: "metrics.system_uptime")])
        #expect(result.samples == [Sample(partnership: "brand", metric: "uptime", timestamp: 1_000, value: 99.95)])
        #expect(result.problems.isEmpty)
    }

    @Test func arrayIndex() throws {
        let result = try extract([.init(name: "first", path: "items.0.value"), .init(name: "second", path: "items.1.value")])
        #expect(result.samples.map(\.value) == [3, 4.5])
    }

    @Test func wildcardCapturesKeysAsLabels() throws {
        let result = try extract([.init(name: "followers", path: "social.*.followers", keyLabels: ["platform"])])
        #expect(result.samples.map(\.series) == ["brand.followers,platform=instagram", "brand.followers,platform=tiktok"])
        #expect(result.samples.map(\.value) == [1_200, 800])
    }

    @Test func wildcardOverArrayCapturesIndexes() throws {
        let result = try extract([.init(name: "item", path: "items.*.value", keyLabels: ["index"])])
        #expect(result.samples.map(\.labels) == [[.init("index", "0")], [.init("index", "1")]])
    }

    @Test func quotedKeyHoldingADot() throws {
        let result = try extract([.init(name: "c", path: "\"a.b\".c")])
        #expect(result.samples.map(\.value) == [7])
    }

    @Test func booleansAndNumericStringsAreCoerced() throws {
        let result = try extract([.init(name: "healthy", path: "metrics.healthy"), .init(name: "score", path: "metrics.score")])
        #expect(result.samples.map(\.value) == [1, 42.5])
    }

    @Test func scaleMultiplies() throws {
        let result = try extract([.init(name: "rt", path: "metrics.api_response_time", scale: 0.001)])
        #expect(result.samples.map(\.value) == [0.085])
    }

    @Test func missingPathsAndNonNumbersAreProblemsNotFailures() throws {
        let result = try extract([
            .init(name: "uptime", path: "metrics.system_uptime"), .init(name: "gone", path: "metrics.gone"),
            .init(name: "name", path: "name"), .init(name: "past", path: "items.5.value"),
        ])
        #expect(result.samples.map(\.metric) == ["uptime"])
        #expect(result.problems.count == 3)
        #expect(result.problems[0].contains("gone"))
    }

    @Test func malformedJSONThrows() {
        #expect(throws: ExtractionError.self) { try extract([.init(name: "x", path: "a")], from: "{\"a\": 1,") }
    }

    @Test(arguments: ["", "a..b", "a.", ".a", "\"open.b"])
    func badPathsAreRejected(text: String) {
        #expect(throws: JSONPathError.self) { try JSONPath.parse(text).get() }
    }

    @Test func pathSegments() throws {
        let path = try JSONPath.parse("items.0.\"x.y\".*").get()
        #expect(path.segments == [.key("items"), .index(0), .key("x.y"), .wildcard])
        #expect(path.wildcardCount == 1)
    }
}
