import DevSkyyCollect
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

@Suite("libcurl engine and HTTP collector against a loopback source")
struct CurlEngineTests {
    static let document = #"{"metrics": {"system_uptime": 99.95, "api_response_time": 85}}"#

    func collector(_ url: String, engine: CurlEngine, timeout: Duration = .seconds(2)) -> HTTPCollector {
        HTTPCollector(
            config: .init(
                name: "c", partnership: "technical", url: url, interval: .seconds(10), timeout: timeout,
                headers: ["Authorization": "Bearer secret-token-value"],
                metrics: [.init(name: "system_uptime", path: "metrics.system_uptime")]
            ),
            engine: engine
        )
    }

    @Test func fetchesOverHTTPAndExtracts() async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        source.serve("/technical.json", Self.document)
        let outcome = try await collector(source.url("/technical.json"), engine: engine).collect(timestamp: 5)
        #expect(outcome.samples == [Sample(partnership: "technical", metric: "system_uptime", timestamp: 5, value: 99.95)])
        await engine.shutdown()
        await source.stop()
    }

    @Test func keepsOnlyTheHeadersCollectorsReadWithLowercaseNamesAndTrimmedValues() async throws {
        let source = try await HTTPSource()
        source.handle("/h") { _ in
            SourceResponse(
                headers: [
                    "ETag": "\"v1\"", "X-RATELIMIT-Remaining": "7\t", "RateLimit-Reset": "30", "Link": "<https://x/2>; rel=next",
                    "X-Other": "dropped", "Etags": "dropped", "Retry": "dropped",
                ], "{}")
        }
        let response = try fetchBlocking(.init(url: source.url("/h"), timeout: .seconds(2))).get()
        #expect(
            response.headers == [
                "etag": "\"v1\"", "x-ratelimit-remaining": "7", "ratelimit-reset": "30", "link": "<https://x/2>; rel=next",
            ])
        await source.stop()
    }

    @Test func fetchesFileURLs() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        folder.write("t.json", Self.document)
        let engine = CurlEngine()
        let outcome = try await collector("file://\(folder.file("t.json"))", engine: engine).collect(timestamp: 5)
        #expect(outcome.samples.map(\.value) == [99.95])
        await engine.shutdown()
    }

    @Test func failuresAreTypedAndLeaveOtherFetchesAlone() async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        source.serve("/ok.json", Self.document)
        source.serve("/broken.json", status: 500, "{}")
        source.serve("/garbage.json", "{not json")
        source.serve("/slow.json", Self.document)
        source.delay("/slow.json", by: .seconds(3))
        let refusing = RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let refused = "http://127.0.0.1:\(refusing.port)/x.json"

        async let slow = reason(collector(source.url("/slow.json"), engine: engine, timeout: .milliseconds(300)))
        async let missing = reason(collector(source.url("/missing.json"), engine: engine))
        async let broken = reason(collector(source.url("/broken.json"), engine: engine))
        async let garbage = reason(collector(source.url("/garbage.json"), engine: engine))
        async let down = reason(collector(refused, engine: engine))
        async let fine = collector(source.url("/ok.json"), engine: engine).collect(timestamp: 1)

        #expect(await slow == "timeout")
        #expect(await missing == "http_404")
        #expect(await broken == "http_500")
        #expect(await garbage == "parse")
        #expect(await down == "connect")
        #expect(try await fine.samples.count == 1)
        await engine.shutdown()
        await source.stop()
    }

    @Test func bodyOverTheLimitIsAborted() async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        source.serve("/big.json", "[" + String(repeating: "1,", count: 50_000) + "1]")
        await #expect(throws: FetchError.self) {
            try await engine.fetch(FetchRequest(url: source.url("/big.json"), timeout: .seconds(2), maxBodyBytes: 1_000))
        }
        await engine.shutdown()
        await source.stop()
    }

    @Test func errorsNeverHoldHeaderSecrets() async throws {
        let engine = CurlEngine()
        let refusing = RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let refused = "http://127.0.0.1:\(refusing.port)/x.json"
        do {
            _ = try await collector(refused, engine: engine).collect(timestamp: 1)
        } catch {
            #expect(!error.message.contains("secret-token-value"))
        }
        await engine.shutdown()
    }

    func reason(_ collector: HTTPCollector) async -> String? {
        do {
            _ = try await collector.collect(timestamp: 1)
            return nil
        } catch {
            return error.reason
        }
    }
}
