import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyTestSupport
import Foundation
import Synchronization
import Testing

/// The HTTP collector with real libcurl against a scripted loopback source.
@Suite("HTTP collector against a loopback source")
struct HTTPCollectorTests {
    static let document = #"{"metrics": {"uptime": 99.5, "latency": 12}}"#

    static func config(_ url: String, _ change: (inout CollectorConfig) -> Void = { _ in }) -> CollectorConfig {
        var config = CollectorConfig(
            name: "c", partnership: "p", url: url, interval: .seconds(10), timeout: .seconds(5),
            metrics: [.init(name: "uptime", path: "metrics.uptime"), .init(name: "latency", path: "metrics.latency")]
        )
        change(&config)
        return config
    }

    /// Runs the body with a fresh source and engine, stopping both afterwards.
    static func withSource(_ body: (HTTPSource, CurlEngine) async throws -> Void) async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        do {
            try await body(source, engine)
        } catch {
            await engine.shutdown()
            await source.stop()
            throw error
        }
        await engine.shutdown()
        await source.stop()
    }

    static func reason(_ collector: HTTPCollector) async -> CollectError? {
        do {
            _ = try await collector.collect(timestamp: 1)
            return nil
        } catch {
            return error
        }
    }

    @Test func followsRedirects() async throws {
        try await Self.withSource { source, engine in
            source.handle("/old") { _ in SourceResponse(status: 302, headers: ["Location": "/new"], "") }
            source.serve("/new", Self.document)
            let outcome = try await HTTPCollector(config: Self.config(source.url("/old")), engine: engine).collect(timestamp: 1)
            #expect(outcome.samples.map(\.value) == [99.5, 12])
        }
    }

    @Test func acceptsGzip() async throws {
        try await Self.withSource { source, engine in
            let body = try gzipped(Self.document)
            source.handle("/z") { _ in
                SourceResponse(headers: ["Content-Encoding": "gzip", "Content-Type": "application/json"], body: body)
            }
            let outcome = try await HTTPCollector(config: Self.config(source.url("/z")), engine: engine).collect(timestamp: 1)
            #expect(outcome.samples.map(\.value) == [99.5, 12])
            #expect(source.requests("/z").first?.headers["accept-encoding"]?.contains("gzip") == true)
        }
    }

    @Test func revalidatesWithETagAndKeepsValuesOn304() async throws {
        try await Self.withSource { source, engine in
            source.handle("/e") { request in
                if request.headers["if-none-match"] == "\"v1\"" { return SourceResponse(status: 304, headers: ["ETag": "\"v1\""], "") }
                return SourceResponse(headers: ["ETag": "\"v1\"", "Last-Modified": "Sat, 21 Nov 2026 10:00:00 GMT"], Self.document)
            }
            let collector = HTTPCollector(config: Self.config(source.url("/e")), engine: engine)
            let first = try await collector.collect(timestamp: 1)
            let second = try await collector.collect(timestamp: 2)
            #expect(!first.notModified && second.notModified)
            #expect(second.samples.map(\.value) == [99.5, 12])
            #expect(second.samples.map(\.timestamp) == [2, 2])
            let sent = source.requests("/e").last?.headers
            #expect(sent?["if-none-match"] == "\"v1\"")
            #expect(sent?["if-modified-since"] == "Sat, 21 Nov 2026 10:00:00 GMT")
        }
    }

    @Test func rateLimitedWithRetryAfter() async throws {
        try await Self.withSource { source, engine in
            source.handle("/r") { _ in
                SourceResponse(status: 429, headers: ["Retry-After": "2", "X-RateLimit-Remaining": "0"], "slow down")
            }
            let error = await Self.reason(HTTPCollector(config: Self.config(source.url("/r")), engine: engine))
            #expect(error?.reason == "rate_limited")
            #expect(error?.retryAfter == .seconds(2))
            #expect(error?.rateLimit?.remaining == 0)
        }
    }

    @Test func readsRateLimitHeadersOnSuccess() async throws {
        try await Self.withSource { source, engine in
            let reset = Int(Date().timeIntervalSince1970) + 60
            source.handle("/b") { _ in
                SourceResponse(headers: ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(reset)], Self.document)
            }
            let outcome = try await HTTPCollector(config: Self.config(source.url("/b")), engine: engine).collect(timestamp: Timestamp.now())
            #expect(outcome.rateLimit == RateLimit(remaining: 0, resetAt: Int64(reset) * 1_000))
            #expect(outcome.rateLimit?.pauseUntil == Int64(reset) * 1_000)
        }
    }

    @Test func followsThreePagesByLinkHeader() async throws {
        try await Self.withSource { source, engine in
            for page in 1...3 {
                source.handle("/items\(page)") { _ in
                    let next = page < 3 ? ["Link": "</items\(page + 1)>; rel=\"next\", </items1>; rel=\"first\""] : [:]
                    return SourceResponse(headers: next, #"{"items": [{"id": "i\#(page)", "likes": \#(page * 10)}]}"#)
                }
            }
            let config = Self.config(source.url("/items1")) {
                $0.metrics = [.init(name: "likes", path: "items.*.likes", labelPaths: ["item": "id"])]
                $0.metrics[0].keyLabels = ["n"]
                $0.pagination = Pagination(next: .linkHeader, maxPages: 10)
            }
            let outcome = try await HTTPCollector(config: config, engine: engine).collect(timestamp: 1)
            #expect(outcome.pages == 3)
            #expect(outcome.samples.map(\.value).sorted() == [10, 20, 30])
            #expect(Set(outcome.samples.compactMap { $0.labels.first { $0.name == "item" }?.value }) == ["i1", "i2", "i3"])
        }
    }

    @Test func followsCursorPagesUpToTheLimit() async throws {
        try await Self.withSource { source, engine in
            source.handle("/feed") { request in
                let page = request.query.contains("cursor=c2") ? 2 : request.query.contains("cursor=c3") ? 3 : 1
                let next = page < 3 ? "\"c\(page + 1)\"" : "null"
                return SourceResponse(#"{"data": {"views": \#(page)}, "meta": {"next": \#(next)}}"#)
            }
            let config = Self.config(source.url("/feed?limit=5")) {
                $0.metrics = [.init(name: "views", path: "data.views")]
                $0.pagination = Pagination(next: .cursor(path: "meta.next", parameter: "cursor"), maxPages: 2)
            }
            let outcome = try await HTTPCollector(config: config, engine: engine).collect(timestamp: 1)
            #expect(outcome.pages == 2)
            #expect(source.requests("/feed").map(\.query) == ["limit=5", "limit=5&cursor=c2"])
        }
    }

    @Test func oauth2TokenIsFetchedCachedAndRefreshedAfter401() async throws {
        try await Self.withSource { source, engine in
            let issued = Counter()
            source.handle("/token") { request in
                guard request.method == "POST", request.body.contains("grant_type=client_credentials"),
                    request.body.contains("client_secret=s%3Dcret")
                else { return SourceResponse(status: 400, "{}") }
                return SourceResponse(#"{"access_token": "tok-\#(issued.next())", "token_type": "bearer", "expires_in": 3600}"#)
            }
            let current = Counter()
            source.handle("/api") { request in
                // The server revokes token 1 after its second use.
                let valid = "Bearer tok-\(max(1, current.value))"
                guard request.headers["authorization"] == valid else { return SourceResponse(status: 401, "{}") }
                if current.next() >= 2 { current.set(2) }
                return SourceResponse(Self.document)
            }
            let config = Self.config(source.url("/api")) {
                $0.auth = .oauth2(.init(tokenURL: source.url("/token"), clientID: "devskyy", clientSecret: "s=cret", scopes: ["read"]))
            }
            let collector = HTTPCollector(config: config, engine: engine)
            for timestamp in 1...3 { _ = try await collector.collect(timestamp: Int64(timestamp)) }
            #expect(source.requestCount("/token") == 2, "fetched once, refreshed once after the 401")
            #expect(
                source.requests("/api").map(\.headers["authorization"]) == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"])
        }
    }

    @Test func sendsBasicAndBearerCredentials() async throws {
        try await Self.withSource { source, engine in
            source.serve("/a", Self.document)
            _ = try await HTTPCollector(
                config: Self.config(source.url("/a")) { $0.auth = .basic(username: "u", password: "p") }, engine: engine
            )
            .collect(timestamp: 1)
            _ = try await HTTPCollector(config: Self.config(source.url("/a")) { $0.auth = .bearer(token: "t0k") }, engine: engine)
                .collect(timestamp: 1)
            #expect(source.requests("/a").map(\.headers["authorization"]) == ["Basic dTpw", "Bearer t0k"])
        }
    }

    @Test func aBodyThatStallsTimesOut() async throws {
        try await Self.withSource { source, engine in
            source.handle("/stall") { _ in SourceResponse(body: Array(Self.document.utf8), stallAfter: 10, stall: .seconds(3)) }
            let error = await Self.reason(
                HTTPCollector(config: Self.config(source.url("/stall")) { $0.timeout = .milliseconds(400) }, engine: engine))
            #expect(error?.reason == "timeout")
        }
    }

    @Test func aBodyOverTheLimitIsRefused() async throws {
        try await Self.withSource { source, engine in
            source.serve("/big", "[" + String(repeating: "1,", count: 5_000) + "1]")
            let error = await Self.reason(
                HTTPCollector(config: Self.config(source.url("/big")) { $0.maxBodyBytes = 1_000 }, engine: engine))
            #expect(error?.reason == "too_large")
        }
    }

    @Test func seriesPastTheLimitAreDroppedAndCounted() async throws {
        try await Self.withSource { source, engine in
            source.serve("/s", #"{"social": {"a": {"f": 1}, "b": {"f": 2}, "c": {"f": 3}, "d": {"f": 4}}}"#)
            let config = Self.config(source.url("/s")) {
                $0.metrics = [.init(name: "f", path: "social.*.f", keyLabels: ["platform"])]
                $0.maxSeries = 2
            }
            let outcome = try await HTTPCollector(config: config, engine: engine).collect(timestamp: 1)
            #expect(outcome.samples.map(\.series) == ["p.f,platform=a", "p.f,platform=b"])
            #expect(outcome.droppedSeries == 2)
        }
    }

    @Test func readsPrometheusText() async throws {
        try await Self.withSource { source, engine in
            source.serve(
                "/metrics",
                """
                # TYPE http_requests_total counter
                http_requests_total{code="200",path="/a"} 1027
                http_requests_total{code="500",path="/a"} 3
                # TYPE temperature gauge
                temperature 21.5
                """
            )
            let config = Self.config(source.url("/metrics")) {
                $0.format = .prometheus
                $0.metrics = []
                $0.allowlist = PrometheusAllowlist(metrics: ["http_requests_total"], labels: ["code"])
            }
            let outcome = try await HTTPCollector(config: config, engine: engine).collect(timestamp: 1)
            #expect(outcome.samples.map(\.series) == ["p.http_requests_total,code=200", "p.http_requests_total,code=500"])
            #expect(outcome.samples.map(\.value) == [1_027, 3])
        }
    }

    @Test func forEachTemplatesOneCollectorPerInfluencer() async throws {
        try await Self.withSource { source, engine in
            for handle in ["anna", "ben"] {
                source.serve("/influencers/\(handle).json", #"{"followers": \#(handle.count * 1000)}"#)
            }
            let yaml = """
                partnerships: [{ id: brand, type: brand }]
                influencers:
                  - { id: anna, platform: instagram, handle: anna }
                  - { id: ben, platform: tiktok, handle: ben }
                collectors:
                  - name: influencer
                    partnership: brand
                    for_each: influencers
                    url: \(source.url("/influencers/{handle}.json"))
                    labels: { platform: "{platform}" }
                    metrics: [{ name: followers, path: followers }]
                """
            let config = try ConfigLoader(environment: [:]).load(yaml: yaml, file: "t.yaml")
            #expect(config.collectors.map(\.name) == ["influencer.anna", "influencer.ben"])
            var series: [String] = []
            for collector in config.collectors {
                series += try await HTTPCollector(config: collector, engine: engine).collect(timestamp: 1).samples.map(\.series)
            }
            #expect(series == ["brand.followers,influencer=anna,platform=instagram", "brand.followers,influencer=ben,platform=tiktok"])
        }
    }
}

@Suite("HTTPS and connection reuse")
struct HTTPSAndReuseTests {
    @Test func tlsIsVerifiedWithTheSystemStoreACAFileOrNotAtAllWhenAsked() async throws {
        let source = try await TLSSource(document: HTTPCollectorTests.document)
        let engine = CurlEngine()
        defer { source.stop() }
        let strict = HTTPCollector(config: HTTPCollectorTests.config(source.url), engine: engine)
        #expect(await HTTPCollectorTests.reason(strict)?.reason == "tls", "a self-signed certificate is refused by default")
        let withCA = HTTPCollector(config: HTTPCollectorTests.config(source.url) { $0.tls.caFile = source.certificate }, engine: engine)
        #expect(try await withCA.collect(timestamp: 1).samples.map(\.value) == [99.5, 12])
        let skipping = HTTPCollector(config: HTTPCollectorTests.config(source.url) { $0.tls.skipVerify = true }, engine: engine)
        #expect(try await skipping.collect(timestamp: 1).samples.count == 2)
        await engine.shutdown()
    }

    @Test func connectionsAreReusedAcrossRuns() async throws {
        try await HTTPCollectorTests.withSource { source, engine in
            source.serve("/k", HTTPCollectorTests.document)
            let collector = HTTPCollector(config: HTTPCollectorTests.config(source.url("/k")), engine: engine)
            for run in 1...5 { _ = try await collector.collect(timestamp: Int64(run)) }
            let peers = Set(source.requests("/k").compactMap(\.peerPort))
            #expect(source.requestCount("/k") == 5)
            #expect(peers.count == 1, "five runs over one kept-alive connection, not \(peers.count)")
        }
    }
}

@Suite("Pagination safety")
struct PaginationSafetyTests {
    @Test func nextLinksToAnotherOriginAreNotFollowed() async throws {
        try await HTTPCollectorTests.withSource { source, engine in
            source.handle("/p1") { _ in
                SourceResponse(
                    headers: ["Link": "<http://127.0.0.2:\(source.port)/p2>; rel=\"next\""], #"{"metrics": {"uptime": 1, "latency": 2}}"#)
            }
            let config = HTTPCollectorTests.config(source.url("/p1")) {
                $0.pagination = Pagination(next: .linkHeader, maxPages: 5)
                $0.auth = .bearer(token: "t0k")
            }
            let outcome = try await HTTPCollector(config: config, engine: engine).collect(timestamp: 1)
            #expect(outcome.pages == 1)
            #expect(source.requestCount("/p2") == 0)
        }
    }
}
