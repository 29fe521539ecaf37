import DevSkyyCollect
import DevSkyyCore
import Testing

@Suite("Prometheus text extraction")
struct PrometheusTextExtractorTests {
    /// The format documentation's example, plus a summary with NaN, a gauge with `:` and a broken line.
    static let exposition = #"""
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # Escaping in label values:
        msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

        # Minimalistic line:
        metric_without_timestamp_and_labels 12.47

        # A weird metric from before the epoch:
        something_weird{problem="division by zero"} +Inf -3982045

        # TYPE job:requests:rate5m gauge
        job:requests:rate5m{job="api"} 0.5
        # HELP http_request_duration_seconds A histogram of the request duration.
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{le="0.05"} 24054
        http_request_duration_seconds_bucket{le="0.1"} 33444
        http_request_duration_seconds_bucket{le="+Inf"} 144320
        http_request_duration_seconds_sum 53423
        http_request_duration_seconds_count 144320
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.5"} 4773
        rpc_duration_seconds{quantile="0.99"} NaN
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693
        this line is broken
        temperature_celsius{ room = "lab" , } -Inf
        """#

    func extract(_ body: String = exposition, allowlist: PrometheusAllowlist = .init()) throws -> ExtractionResult {
        try PrometheusTextExtractor(partnership: "svc", allowlist: allowlist).extract(Array(body.utf8), timestamp: 5_000)
    }

    /// `series value` per sample.
    func lines(_ result: ExtractionResult) -> [String] {
        result.samples.map { "\($0.series) \($0.value.compactText)" }
    }

    @Test func realisticExposition() throws {
        let result = try extract()
        #expect(
            lines(result) == [
                "svc.http_requests_total,code=200,method=post 1027",
                "svc.http_requests_total,code=400,method=post 3",
                "svc.msdos_file_access_time_seconds,error=Cannot find file:\n\"FILE.TXT\",path=C:\\DIR\\FILE.TXT 1458255915",
                "svc.metric_without_timestamp_and_labels 12.47",
                "svc.job_requests_rate5m,job=api 0.5",
                "svc.http_request_duration_seconds_bucket,le=0.05 24054",
                "svc.http_request_duration_seconds_bucket,le=0.1 33444",
                "svc.http_request_duration_seconds_bucket,le=+Inf 144320",
                "svc.http_request_duration_seconds_sum 53423",
                "svc.http_request_duration_seconds_count 144320",
                "svc.rpc_duration_seconds,quantile=0.5 4773",
                "svc.rpc_duration_seconds_sum 17560473",
                "svc.rpc_duration_seconds_count 2693",
            ])
        #expect(
            result.problems == [
                "line 13: something_weird,problem=division by zero is +Inf, skipped",
                "line 26: rpc_duration_seconds,quantile=0.99 is NaN, skipped",
                "line 29: bad value 'line' for this",
                "line 30: temperature_celsius,room=lab is -Inf, skipped",
            ])
    }

    @Test func escapedLabelValuesAreUnescaped() throws {
        let result = try extract(#"a{path="C:\\DIR",quote="say \"hi\"",multi="one\ntwo",plain="x"} 1"#)
        #expect(
            result.samples.first?.labels == [
                .init("multi", "one\ntwo"), .init("path", #"C:\DIR"#), .init("plain", "x"), .init("quote", #"say "hi""#),
            ])
    }

    @Test func samplesCarryTheScrapeTimestamp() throws {
        let result = try extract("up 1 1395066363000\n")
        #expect(result.samples == [Sample(partnership: "svc", metric: "up", timestamp: 5_000, value: 1)])
        #expect(result.problems.isEmpty)
    }

    @Test func colonsInNamesBecomeUnderscores() throws {
        let result = try extract("instance:node_cpu:rate5m{cpu=\"0\"} 0.25\n", allowlist: .init(metrics: ["instance:node_cpu:rate5m"]))
        #expect(lines(result) == ["svc.instance_node_cpu_rate5m,cpu=0 0.25"])
        #expect(result.problems.isEmpty)
    }

    @Test func metricAllowlistKeepsListedNamesAndHistogramFamilies() throws {
        let result = try extract(
            allowlist: .init(metrics: [
                "metric_without_timestamp_and_labels", "http_request_duration_seconds", "job_requests_rate5m", "gone",
            ])
        )
        #expect(
            lines(result) == [
                "svc.metric_without_timestamp_and_labels 12.47",
                "svc.job_requests_rate5m,job=api 0.5",
                "svc.http_request_duration_seconds_bucket,le=0.05 24054",
                "svc.http_request_duration_seconds_bucket,le=0.1 33444",
                "svc.http_request_duration_seconds_bucket,le=+Inf 144320",
                "svc.http_request_duration_seconds_sum 53423",
                "svc.http_request_duration_seconds_count 144320",
            ])
        // NaN and Inf of metrics not kept are not reported; malformed lines always are.
        #expect(result.problems == ["line 29: bad value 'line' for this", "gone: not in the exposition"])
    }

    @Test func summaryFamilyKeepsQuantilesSumAndCount() throws {
        let result = try extract(allowlist: .init(metrics: ["rpc_duration_seconds"]))
        #expect(
            lines(result) == [
                "svc.rpc_duration_seconds,quantile=0.5 4773", "svc.rpc_duration_seconds_sum 17560473",
                "svc.rpc_duration_seconds_count 2693",
            ])
        #expect(result.problems == ["line 26: rpc_duration_seconds,quantile=0.99 is NaN, skipped", "line 29: bad value 'line' for this"])
    }

    @Test func labelAllowlistDropsOtherLabels() throws {
        let result = try extract(allowlist: .init(metrics: ["http_requests_total", "job_requests_rate5m"], labels: ["code", "job"]))
        #expect(
            lines(result) == [
                "svc.http_requests_total,code=200 1027", "svc.http_requests_total,code=400 3", "svc.job_requests_rate5m,job=api 0.5",
            ])
    }

    @Test func seriesCollapsingAfterLabelDroppingKeepTheLast() throws {
        let result = try extract(allowlist: .init(metrics: ["http_requests_total"], labels: ["method"]))
        #expect(lines(result) == ["svc.http_requests_total,method=post 3"])
        #expect(
            result.problems == [
                "line 4: http_requests_total,method=post repeats the series of an earlier line; the last value is kept",
                "line 29: bad value 'line' for this",
            ])
    }

    @Test(arguments: [
        (#"name{a="1" 2"#, "expected ',' or '}' after label a"),
        (#"name{a="1"} 2 3 4"#, "unexpected text after the timestamp of name"),
        (#"name{a="x\q"} 1"#, #"bad escape '\q' in a label value"#),
        ("name{a=1} 1", "expected a quoted value for label a"),
        (#"name{a="1",a="2"} 1"#, "label a appears twice"),
        (#"name{a="1"} 1 soon"#, "bad timestamp 'soon' for name"),
        (#"name{a="1"}"#, "name has no value"),
        (#"name{a="open} 1"#, "unterminated label value"),
        (#"name{a="1""#, "unterminated label set"),
        (#"name{1a="1"} 2"#, "expected a label name"),
        (#"name{a "1"} 2"#, "expected '=' after label a"),
        ("na-me 1", "bad character '-' in metric name"),
        (#"{a="1"} 1"#, "expected a metric name"),
        ("name one", "bad value 'one' for name"),
        ("# TYPE name bogus", "bad # TYPE line for name: the type is counter, gauge, histogram, summary or untyped"),
        ("# TYPE", "# TYPE without a metric name"),
    ])
    func malformedLinesAreProblems(line: String, reason: String) throws {
        let result = try extract("good 1\n\(line)\nalso_good{x=\"y\"} 2\n")
        #expect(lines(result) == ["svc.good 1", "svc.also_good,x=y 2"])
        #expect(result.problems == ["line 2: \(reason)"])
    }

    @Test func crlfTabsAndSpecialValues() throws {
        let result = try extract("# TYPE g gauge\r\ng{a=\"1\"}\t7\r\n\r\nh +Inf\r\ni -inf\r\nj nan\r\nk 1e3\r\n")
        #expect(lines(result) == ["svc.g,a=1 7", "svc.k 1000"])
        #expect(result.problems == ["line 4: h is +Inf, skipped", "line 5: i is -Inf, skipped", "line 6: j is NaN, skipped"])
    }

    @Test func commentsAndBlankLinesAlone() throws {
        let result = try extract("# just a comment\n\n# HELP x something\n   \n")
        #expect(result == ExtractionResult())
        #expect(try extract("") == ExtractionResult())
    }

    @Test func nothingParsingThrows() {
        #expect(throws: ExtractionError.self) { try extract("<html>\n<body>Bad Gateway</body>\n</html>\n") }
        #expect(throws: ExtractionError.self) { try extract(#"{"up": 1}"#) }
    }

    @Test func manyBadLinesAreCapped() throws {
        let body = "ok 1\n" + String(repeating: "bad line here\n", count: PrometheusTextExtractor.lineProblemLimit + 10)
        let result = try extract(body)
        #expect(lines(result) == ["svc.ok 1"])
        #expect(result.problems.count == PrometheusTextExtractor.lineProblemLimit + 1)
        #expect(result.problems.first == "line 2: bad value 'line' for bad")
        #expect(result.problems.last == "10 more problems on other lines")
    }
}
