import DevSkyyCore
import DevSkyyServer
import DevSkyyTestSupport
import HTTPTypes
import Hummingbird
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import DevSkyyServer

/// The listeners' fast path: the snapshot's routes answered on the event loop with what the router would answer.
@Suite struct SnapshotFastPathTests {
    let store: SnapshotStore
    let router: Router<APIRequestContext>

    init() throws {
        store = SnapshotStore(orchestrationSnapshot(try orchestrationConfig()))
        router = QueryRouter.build(store: store, explain: { _ in nil })
    }

    private func get(_ path: String, _ fields: [String] = []) -> String {
        (["GET \(path) HTTP/1.1", "Host: localhost"] + fields).joined(separator: "\r\n") + "\r\n\r\n"
    }

    private func text(_ answer: PlainHTTP.Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    /// Every field but `Date`, which each side stamps with its own clock.
    private func fields(_ answer: PlainHTTP.Answer) -> [String: String] {
        answer.headers.filter { $0.key != "date" }
    }

    /// Answers `path` twice on each transport, by the fast path and by the router (`Connection: close` sends a request
    /// there), and checks they are the same but for `Date` and the `Server` Hummingbird adds to the router's alone.
    private func compareFastAndRouted(
        _ path: String, router: Router<APIRequestContext>, api: APISettings = .init(), extra: [String] = []
    ) async throws {
        try await BothTransports.with(router, server: QueryListeners.server(store: store, api: api), serverName: "router") { served in
            let raw = Array((get(path, extra) + get(path, extra + ["Connection: close"])).utf8)
            let overTCP = try await PlainHTTP.pipelined(raw, port: served.tcp.port)
            let overUnix = try await PlainHTTP.pipelined(raw, unixPath: served.unixPath)
            for answers in [overTCP, overUnix] {
                try #require(answers.count == 2, "\(path)")
                let (fast, routed) = (answers[0], answers[1])
                #expect(fast.headers["server"] == nil && routed.headers["server"] == "router", "\(path): who answered")
                #expect(fast.status == 200, "\(path)")
                #expect(text(fast) == text(routed), "\(path)")
                #expect(!fast.body.isEmpty, "\(path)")
                #expect(fields(fast) == fields(routed).filter { $0.key != "connection" && $0.key != "server" }, "\(path)")
                #expect(fast.headers["content-length"] == String(fast.body.count), "\(path)")
                #expect(fast.headers["date"]?.hasSuffix(" GMT") == true, "\(path)")
            }
            #expect(text(overTCP[0]) == text(overUnix[0]), "\(path)")
        }
    }

    @Test func fastAnswersAreTheRoutersOnBothTransports() async throws {
        for path in SnapshotRoutes.byPath.keys.sorted() {
            try await compareFastAndRouted(path, router: router)
        }
    }

    @Test func underACORSAllowlistFastAnswersVaryByOriginToo() async throws {
        let api = APISettings(corsAllowedOrigins: ["https://dash.example"])
        let cors = QueryRouter.build(store: store, explain: { _ in nil }, api: api)
        try await compareFastAndRouted("/api/v1/orchestration/health", router: cors, api: api)
        // Any origin: no Vary, on either side.
        let any = APISettings(corsAllowedOrigins: ["*"])
        try await compareFastAndRouted("/metrics", router: QueryRouter.build(store: store, explain: { _ in nil }, api: any), api: any)
    }

    @Test func aMatchingIfNoneMatchIs304WithTheSameFieldsBothWays() async throws {
        let etag = store.encoded.etags.health
        let path = "/api/v1/orchestration/health"
        try await BothTransports.with(router, server: QueryListeners.server(store: store)) { served in
            let raw = Array(
                (get(path, ["If-None-Match: \"other\", W/\(etag)"]) + get(path, ["If-None-Match: \(etag)", "Connection: close"])).utf8)
            for answers in [
                try await PlainHTTP.pipelined(raw, port: served.tcp.port), try await PlainHTTP.pipelined(raw, unixPath: served.unixPath),
            ] {
                try #require(answers.count == 2)
                #expect(answers.map(\.status) == [304, 304])
                #expect(answers.allSatisfy { $0.body.isEmpty && $0.headers["etag"] == etag })
                #expect(fields(answers[0]) == fields(answers[1]).filter { $0.key != "connection" })
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderWhateverAnswersThem() async throws {
        // Router, fast, router (a body where none is taken), fast, fast (304), router: the fast ones queue behind.
        let etag = store.encoded.etags.metrics
        let requests = [
            get("/api/v1/orchestration/docs/endpoints"),
            get("/api/v1/orchestration/health"),
            get("/api/v1/orchestration/metrics/technical", ["Content-Length: 2"]) + "{}",
            get("/metrics"),
            get("/api/v1/orchestration/metrics", ["If-None-Match: \(etag)"]),
            get("/api/v1/collectors", ["Connection: close"]),
        ]
        try await BothTransports.with(router, server: QueryListeners.server(store: store)) { served in
            let encoded = store.encoded
            let expected = [
                text(try await PlainHTTP.request("GET", "/api/v1/orchestration/docs/endpoints", port: served.tcp.port)),
                String(buffer: encoded.health), "", String(buffer: encoded.exposition) + String(buffer: encoded.liveExposition), "",
                String(buffer: encoded.collectors),
            ]
            for transport in ["tcp", "unix"] {
                let raw = Array(requests.joined().utf8)
                let answers =
                    transport == "tcp"
                    ? try await PlainHTTP.pipelined(raw, port: served.tcp.port)
                    : try await PlainHTTP.pipelined(raw, unixPath: served.unixPath)
                #expect(answers.map(\.status) == [200, 200, 400, 200, 304, 200], "\(transport)")
                try #require(answers.count == expected.count, "\(transport)")
                for (index, answer) in answers.enumerated() where index != 2 {
                    #expect(text(answer) == expected[index], "\(transport) answer \(index)")
                }
                #expect(text(answers[2]).contains("unexpected_body"), "\(transport)")
            }
        }
    }

    // MARK: - The handler alone, on an embedded channel: which requests it keeps

    private func request(_ path: String, method: HTTPRequest.Method = .get, _ fields: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: fields)
    }

    private func send(_ request: HTTPRequest, to channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPRequestPart.head(request))
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    /// The parts that reached the router's side of the pipeline.
    private func forwarded(_ channel: EmbeddedChannel) throws -> [HTTPRequestPart] {
        var parts: [HTTPRequestPart] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { parts.append(part) }
        return parts
    }

    private func written(_ channel: EmbeddedChannel) throws -> [HTTPResponsePart] {
        var parts: [HTTPResponsePart] = []
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) { parts.append(part) }
        return parts
    }

    @Test func aServableRequestIsAnsweredWithoutReachingTheRouter() throws {
        let channel = EmbeddedChannel(handler: SnapshotFastPath(store: store))
        defer { _ = try? channel.finish() }
        try send(request("/api/v1/orchestration/health"), to: channel)
        #expect(try forwarded(channel).isEmpty)
        let parts = try written(channel)
        try #require(parts.count == 3)
        guard case .head(let head) = parts[0], case .body(let body) = parts[1], case .end(nil) = parts[2] else {
            Issue.record("not head, body, end: \(parts)")
            return
        }
        #expect(head.status == .ok)
        #expect(head.headerFields[.eTag] == store.encoded.etags.health)
        #expect(head.headerFields[.contentType] == "application/json")
        #expect(head.headerFields[.date] != nil)
        #expect(body == store.encoded.health)
    }

    struct RouterCase: Sendable, CustomTestStringConvertible {
        let path: String
        var method = HTTPRequest.Method.get
        var fields: HTTPFields = [:]
        var testDescription: String { "\(method) \(path) \(fields)" }
    }

    @Test(arguments: [
        RouterCase(path: "/api/v1/orchestration/status"),
        RouterCase(path: "/api/v1/orchestration/health", method: .post),
        RouterCase(path: "/api/v1/orchestration/health", method: .head),
        RouterCase(path: "/api/v1/orchestration/health?verbose=1"),
        RouterCase(path: "/api/v1/orchestration/health/"),
        RouterCase(path: "/api/v1/orchestration/health", fields: [.origin: "https://dashboard.example"]),
        RouterCase(path: "/api/v1/orchestration/health", fields: [.connection: "keep-alive"]),
        RouterCase(path: "/metrics", fields: [.contentLength: "0"]),
        RouterCase(path: "/metrics", fields: [.transferEncoding: "chunked"]),
        RouterCase(path: "/metrics", fields: [.expect: "100-continue"]),
        RouterCase(path: "/metrics", fields: [.upgrade: "websocket"]),
    ])
    func otherRequestsGoOnToTheRouterUnchanged(_ routed: RouterCase) throws {
        let channel = EmbeddedChannel(handler: SnapshotFastPath(store: store))
        defer { _ = try? channel.finish() }
        let sent = request(routed.path, method: routed.method, routed.fields)
        try send(sent, to: channel)
        let parts = try forwarded(channel)
        try #require(parts.count == 2)
        guard case .head(let head) = parts[0], case .end = parts[1] else {
            Issue.record("not head, end: \(parts)")
            return
        }
        #expect(head == sent)
        #expect(try written(channel).isEmpty)
    }

    @Test func aClientThatDoesNotReadIsLeftToTheRouter() throws {
        let channel = EmbeddedChannel(handler: SnapshotFastPath(store: store))
        defer { _ = try? channel.finish() }
        channel.isWritable = false
        try send(request("/metrics"), to: channel)
        #expect(try forwarded(channel).count == 2, "the router waits for the socket to drain")
        #expect(try written(channel).isEmpty)
    }

    @Test func aServableRequestWaitsForTheRouterToAnswerEarlierOnes() throws {
        let channel = EmbeddedChannel(handler: SnapshotFastPath(store: store))
        defer { _ = try? channel.finish() }
        try send(request("/api/v1/orchestration/status"), to: channel)
        try send(request("/api/v1/orchestration/health"), to: channel)
        #expect(try forwarded(channel).count == 4, "both went to the router")
        #expect(try written(channel).isEmpty)
        // The router answers both.
        for _ in 0..<2 {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
        #expect(try written(channel).count == 4)
        try send(request("/api/v1/orchestration/health"), to: channel)
        #expect(try forwarded(channel).isEmpty)
        #expect(try written(channel).count == 3)
    }
}
