import DevSkyyCollect
import DevSkyyCore
import Testing

@Suite("JSON path extraction")
struct JSONExtractorTests {
    static let document = #"""
        {
          "metrics": {"system_uptime": 99.95, "api_response_time": 85, "healthy": true, "down": false, "score": "42.5"},
          "items": [{"value": 3}, {"value": 4.5}],
          "social": {"instagram": {"followers": 1200, "handle": "@devskyy"}, "tiktok": {"followers": 800, "handle": "@sky"}},
          "regions": {"eu": [1, 2], "us": [3]},
          "a.b": {"c": 7},
          "a/b": {"c": 8},
          "with space": {"c": 9},
          "say \"hi\"": {"c": 10},
          "name": "not a number",
          "account": {"id": "acct-1", "region": "eu", "shard": 17841405822304914, "weight": 0.25, "beta": false},
          "platforms": [{"platform": "instagram", "followers": 1200}, {"platform": "tiktok", "followers": 800}],
          "posts": [
            {"id": "p1", "type": "post", "likes": 10, "rank": 1, "active": true, "meta": {"kind": "post"}},
            {"id": "p2", "type": "reel", "likes": 20, "rank": 2, "active": false, "meta": {"kind": "reel"}},
            {"id": 3, "type": "post", "likes": 30, "rank": 3, "active": true, "meta": {"kind": "post"}},
            {"type": "story", "likes": 5}
          ],
          "nested": [[{"k": "a", "v": 1}, {"k": "b", "v": 2}]]
        }
        """#

    func extract(_ metrics: [MetricSpec], from body: String = document) throws -> JSONExtractor.Result {
        try JSONExtractor(partnership: "brand", metrics: metrics).extract(Array(body.utf8), timestamp: 1_000)
    }

    /// `series value` per sample: names, labels and values checked exactly in one string.
    func lines(_ result: JSONExtractor.Result) -> [String] {
        result.samples.map { "\($0.series) \($0.value.compactText)" }
    }

    func reason(_ text: String) -> String? {
        if case .failure(let error) = JSONPath.parse(text) { return error.reason }
        return nil
    }

    // MARK: keys, indexes, wildcards

    @Test func dottedPath() throws {
        let result = try extract([.init(name: "uptime", path: "metrics.system_uptime")])
        #expect(result.samples == [Sample(partnership: "brand", metric: "uptime", timestamp: 1_000, value: 99.95)])
        #expect(result.problems.isEmpty)
    }

    @Test func arrayIndex() throws {
        let result = try extract([.init(name: "first", path: "items.0.value"), .init(name: "second", path: "items.1.value")])
        #expect(lines(result) == ["brand.first 3", "brand.second 4.5"])
    }

    @Test func bracketIndexIsASynonym() throws {
        let result = try extract([
            .init(name: "second", path: "items[1].value"), .init(name: "eu", path: "regions.eu[1]"),
            .init(name: "b", path: "nested[0][1].v"),
        ])
        #expect(lines(result) == ["brand.second 4.5", "brand.eu 2", "brand.b 2"])
        #expect(try JSONPath.parse("items[1].value").get().segments == JSONPath.parse("items.1.value").get().segments)
    }

    @Test func bracketIndexOnARootArray() throws {
        let result = try extract([.init(name: "x", path: "[1][0]")], from: "[[1, 2], [3]]")
        #expect(lines(result) == ["brand.x 3"])
    }

    @Test func wildcardCapturesKeysAsLabels() throws {
        let result = try extract([.init(name: "followers", path: "social.*.followers", keyLabels: ["platform"])])
        #expect(lines(result) == ["brand.followers,platform=instagram 1200", "brand.followers,platform=tiktok 800"])
    }

    @Test func wildcardOverArrayCapturesIndexes() throws {
        let result = try extract([.init(name: "item", path: "items.*.value", keyLabels: ["index"])])
        #expect(result.samples.map(\.labels) == [[.init("index", "0")], [.init("index", "1")]])
    }

    @Test func twoWildcardsGiveTwoLabelsInOrder() throws {
        let result = try extract([.init(name: "load", path: "regions.*.*", keyLabels: ["region", "slot"])])
        #expect(lines(result) == ["brand.load,region=eu,slot=0 1", "brand.load,region=eu,slot=1 2", "brand.load,region=us,slot=0 3"])
    }

    // MARK: quoted keys

    @Test(arguments: [
        (#""a.b".c"#, 7.0), (#""a/b".c"#, 8), (#""with space".c"#, 9), (#""say \"hi\"".c"#, 10), ("a/b.c", 8),
    ])
    func quotedKeys(path: String, value: Double) throws {
        let result = try extract([.init(name: "c", path: path)])
        #expect(result.samples.map(\.value) == [value])
        #expect(result.problems.isEmpty)
    }

    @Test func quotedKeyEscapes() throws {
        let path = try JSONPath.parse(#""say \"hi\"".c."back\\slash""#).get()
        #expect(path.segments == [.key(#"say "hi""#), .key("c"), .key(#"back\slash"#)])
    }

    // MARK: filters

    @Test func filterOnAString() throws {
        let result = try extract([.init(name: "followers", path: #"platforms[?platform=="instagram"].followers"#)])
        #expect(lines(result) == ["brand.followers 1200"])
    }

    @Test func filterOnANumber() throws {
        let result = try extract([.init(name: "likes", path: "posts[?rank==2].likes")])
        #expect(lines(result) == ["brand.likes 20"])
    }

    @Test func filterOnABoolWithLabelsFromTheMatchedElement() throws {
        let result = try extract([.init(name: "likes", path: "posts[?active==true].likes", labelPaths: ["post": "id"])])
        #expect(lines(result) == ["brand.likes,post=p1 10", "brand.likes,post=3 30"])
        #expect(result.problems.isEmpty)
    }

    @Test func notEqualSelectsEveryOtherElementIncludingThoseWithoutTheField() throws {
        let result = try extract([.init(name: "likes", path: "posts[?active!=true].likes", labelPaths: ["type": "type"])])
        #expect(lines(result) == ["brand.likes,type=reel 20", "brand.likes,type=story 5"])
    }

    @Test func filterOnADottedField() throws {
        let result = try extract([.init(name: "likes", path: #"posts[?meta.kind=="post"].likes"#, labelPaths: ["post": "id"])])
        #expect(lines(result) == ["brand.likes,post=p1 10", "brand.likes,post=3 30"])
    }

    @Test func filterComparesWithinOneType() throws {
        let result = try extract([
            .init(name: "text", path: #"posts[?rank=="1"].likes"#), .init(name: "flag", path: "posts[?active==1].likes"),
        ])
        #expect(result.samples.isEmpty)
        #expect(
            result.problems == [
                #"text: path posts[?rank=="1"].likes matched nothing"#, "flag: path posts[?active==1].likes matched nothing",
            ])
    }

    @Test func filterAloneAfterADotOrAtTheRoot() throws {
        let result = try extract([
            .init(name: "dotted", path: #"nested.0.[?k=="b"].v"#), .init(name: "bracketed", path: #"nested[0][?k != "a"].v"#),
        ])
        #expect(lines(result) == ["brand.dotted 2", "brand.bracketed 2"])
        let root = try extract([.init(name: "v", path: #"[?k=="b"].v"#)], from: #"[{"k": "a", "v": 1}, {"k": "b", "v": 2}]"#)
        #expect(lines(root) == ["brand.v 2"])
    }

    @Test func filterOverObjectMembers() throws {
        let result = try extract(
            [.init(name: "big", path: "social[?followers==1200].handle", labelPaths: ["f": "followers"])],
            from: #"{"social": {"a": {"followers": 1200, "handle": "7"}, "b": {"followers": 800, "handle": "8"}}}"#)
        #expect(lines(result) == ["brand.big,f=1200 7"])
    }

    // MARK: labels from fields

    @Test func labelPathsRelativeToTheWildcardMatch() throws {
        let result = try extract([
            .init(name: "followers", path: "social.*.followers", keyLabels: ["platform"], labelPaths: ["handle": "handle"])
        ])
        #expect(
            lines(result) == ["brand.followers,handle=@devskyy,platform=instagram 1200", "brand.followers,handle=@sky,platform=tiktok 800"])
    }

    @Test func labelPathsRelativeToTheRootWithoutFanOut() throws {
        let result = try extract([
            .init(name: "uptime", path: "metrics.system_uptime", labelPaths: ["account": "account.id", "region": "account.region"])
        ])
        #expect(lines(result) == ["brand.uptime,account=acct-1,region=eu 99.95"])
    }

    @Test func labelValuesFromNumbersAndBooleans() throws {
        let result = try extract([
            .init(
                name: "uptime", path: "metrics.system_uptime",
                labelPaths: ["shard": "account.shard", "weight": "account.weight", "beta": "account.beta"]
            ),
            .init(name: "likes", path: "posts[?rank==1].likes", labelPaths: ["active": "active", "rank": "rank"]),
        ])
        #expect(
            lines(result) == [
                "brand.uptime,beta=false,shard=17841405822304914,weight=0.25 99.95", "brand.likes,active=true,rank=1 10",
            ])
    }

    @Test func missingOrNonScalarLabelFieldLeavesTheSampleOut() throws {
        let result = try extract([
            .init(name: "likes", path: #"posts[?type!="post"].likes"#, labelPaths: ["post": "id"]),
            .init(name: "kinds", path: "posts[?rank==1].likes", labelPaths: ["meta": "meta"]),
        ])
        #expect(lines(result) == ["brand.likes,post=p2 20"])
        #expect(
            result.problems == [
                "likes: label 'post' (path id) is missing or not a string, number or boolean for the value at posts.3.likes; sample left out",
                "kinds: label 'meta' (path meta) is missing or not a string, number or boolean for the value at posts.0.likes; sample left out",
            ])
    }

    @Test func brokenLabelPathsAreProblems() throws {
        let result = try extract([
            .init(name: "a", path: "metrics.system_uptime", labelPaths: ["x": "posts.*.id"]),
            .init(name: "b", path: "metrics.system_uptime", labelPaths: ["x": "account..id"]),
            .init(name: "c", path: "metrics.[oops"),
        ])
        #expect(result.samples.isEmpty)
        #expect(
            result.problems == [
                "a: label path 'posts.*.id' of 'x' may match several values ('*' or a filter)",
                "b: bad label path of 'x': empty segment at column 9 of 'account..id'",
                "c: bad path: expected an index or a filter '[?...]' inside brackets at column 9 of 'metrics.[oops'",
            ])
    }

    // MARK: values

    @Test func booleansAndNumericStringsAreCoerced() throws {
        let result = try extract([
            .init(name: "healthy", path: "metrics.healthy"), .init(name: "down", path: "metrics.down"),
            .init(name: "score", path: "metrics.score"),
        ])
        #expect(result.samples.map(\.value) == [1, 0, 42.5])
    }

    @Test func scaleMultiplies() throws {
        let result = try extract([
            .init(name: "rt", path: "metrics.api_response_time", scale: 0.001),
            .init(name: "likes", path: #"posts[?type=="post"].likes"#, scale: 2, labelPaths: ["post": "id"]),
        ])
        #expect(lines(result) == ["brand.rt 0.085", "brand.likes,post=p1 20", "brand.likes,post=3 60"])
    }

    @Test func missingPathsAndNonNumbersAreProblemsNotFailures() throws {
        let result = try extract([
            .init(name: "uptime", path: "metrics.system_uptime"), .init(name: "gone", path: "metrics.gone"),
            .init(name: "name", path: "name"), .init(name: "past", path: "items.5.value"),
            .init(name: "types", path: "posts[?rank==1].type"),
        ])
        #expect(result.samples.map(\.metric) == ["uptime"])
        #expect(
            result.problems == [
                "gone: path metrics.gone matched nothing", "name: value at name is not a number",
                "past: path items.5.value matched nothing", "types: value at posts.0.type is not a number",
            ])
    }

    @Test func malformedJSONThrows() {
        #expect(throws: ExtractionError.self) { try extract([.init(name: "x", path: "a")], from: "{\"a\": 1,") }
    }

    // MARK: parsing paths

    @Test(arguments: [
        ("", "the path is empty"),
        ("a..b", "empty segment at column 3 of 'a..b'"),
        ("a.", "trailing '.' at column 2 of 'a.'"),
        (".a", "empty segment at column 1 of '.a'"),
        (#""open.b"#, #"unterminated quote at column 1 of '"open.b'"#),
        (#""""#, #"empty quoted key at column 1 of '""'"#),
        (#""a\x".b"#, #"unknown escape '\x' (only \" and \\) at column 3 of '"a\x".b'"#),
        (#""a"b"#, #"expected '.' or '[' but found 'b' at column 4 of '"a"b'"#),
        ("a[0]b", "expected '.' or '[' but found 'b' at column 5 of 'a[0]b'"),
        ("a]b", "unexpected ']' inside a key (quote the whole key) at column 2 of 'a]b'"),
        ("items[0", "unterminated '[' at column 6 of 'items[0'"),
        ("items[]", "empty brackets at column 6 of 'items[]'"),
        ("items[x]", "expected an index or a filter '[?...]' inside brackets at column 6 of 'items[x]'"),
        ("items[?a==1", "unterminated filter at column 6 of 'items[?a==1'"),
        ("items[?a==1.b", "unterminated filter at column 6 of 'items[?a==1.b'"),
        ("items[?a", "unterminated filter at column 6 of 'items[?a'"),
        (#"items[?a=="x]"#, #"unterminated quote at column 11 of 'items[?a=="x]'"#),
        ("items[?a=1]", "bad operator '=' (use == or !=) at column 9 of 'items[?a=1]'"),
        ("items[?a<1]", "bad operator '<' (use == or !=) at column 9 of 'items[?a<1]'"),
        ("items[?a===1]", "bad operator '===' (use == or !=) at column 9 of 'items[?a===1]'"),
        ("items[?a 1]", "expected '==' or '!=' after the filter field at column 10 of 'items[?a 1]'"),
        ("items[?==1]", "the filter has no field at column 8 of 'items[?==1]'"),
        ("items[?a==]", "the filter has no value at column 11 of 'items[?a==]'"),
        (
            "items[?a==nope]",
            "bad filter value 'nope' (expected a quoted string, a number, true or false) at column 11 of 'items[?a==nope]'"
        ),
        ("items[?a.*==1]", "'*' inside a filter field at column 10 of 'items[?a.*==1]'"),
        ("items[?a==1 2]", "expected ']' to close the filter at column 13 of 'items[?a==1 2]'"),
    ])
    func badPathsAreRejectedWithReasons(text: String, expected: String) {
        #expect(reason(text) == expected)
    }

    @Test func pathSegments() throws {
        let path = try JSONPath.parse(#"items.0."x.y".*[?meta.kind!="post"][2]"#).get()
        let filter = JSONPath.Filter(field: [.key("meta"), .key("kind")], op: .notEqual, value: .string("post"))
        #expect(path.segments == [.key("items"), .index(0), .key("x.y"), .wildcard, .filter(filter), .index(2)])
        #expect(path.wildcardCount == 1)
        #expect(path.fansOut)
    }

    @Test func filterLiterals() throws {
        let cases: [(String, JSONPath.Filter.Literal)] = [
            ("[?a==-1.5]", .number(-1.5)), ("[?a==true]", .bool(true)), ("[?a == false]", .bool(false)),
            (#"[?a=="x]\"y"]"#, .string(#"x]"y"#)), (#"[?"a.b"==""]"#, .string("")),
        ]
        for (text, literal) in cases {
            guard case .filter(let filter) = try JSONPath.parse(text).get().segments.first else {
                Issue.record("\(text) is not a filter")
                continue
            }
            #expect(filter.value == literal)
        }
        #expect(try JSONPath.parse(#"[?"a.b"==1]"#).get().segments == [.filter(.init(field: [.key("a.b")], op: .equal, value: .number(1)))])
    }

    @Test func wildcardCountIgnoresFilters() throws {
        let path = try JSONPath.parse(#"posts[?type=="post"].*.likes"#).get()
        #expect(path.wildcardCount == 1)
        #expect(try !JSONPath.parse("a.0.b").get().fansOut)
    }
}
