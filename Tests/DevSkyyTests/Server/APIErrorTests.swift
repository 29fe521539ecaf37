import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Logging
import Testing

@testable import DevSkyyServer

/// The query router without Redis, with a 1 KiB body limit: `tech` is the one collector `explain` knows.
private func routerWithoutRedis() throws -> Router<APIRequestContext> {
    let config = try orchestrationConfig()
    return QueryRouter.build(
        store: SnapshotStore(orchestrationSnapshot(config)), explain: { $0 == "tech" ? Array("{}".utf8) : nil },
        api: APISettings(maxBodyBytes: 1_024))
}

/// Checks one answer against its case: status, the error shape, and nothing internal in it.
private func check(_ answer: PlainHTTP.Answer, _ expected: APIErrorCase, over transport: String) {
    let text = "\(transport) \(expected): \(answer.status) \(String(decoding: answer.body, as: UTF8.self))"
    #expect(answer.status == expected.status, "\(text)")
    #expect(answer.contentType == "application/json", "\(text)")
    let error = ErrorAnswer(body: answer.body)
    #expect(error.status == "error", "\(text)")
    #expect(error.code == expected.code, "\(text)")
    #expect(error.field == expected.field, "\(text)")
    #expect(error.message?.isEmpty == false, "\(text)")
    if let allow = expected.allow { #expect(answer.headers["allow"] == allow, "\(text)") }
    #expect(internals(in: answer.body).isEmpty, "\(text)")
}

@Suite("API errors over TCP and the Unix socket")
struct APIErrorTests {
    @Test func everyEndpointsErrorsHaveTheOneShapeOnBothTransports() async throws {
        try await BothTransports.with(try routerWithoutRedis()) { served in
            for errorCase in APIErrorCase.all {
                let answers = try await served.send(
                    errorCase.method, errorCase.path, headers: errorCase.headers, body: errorCase.body.map { Array($0.utf8) })
                check(answers.tcp, errorCase, over: "tcp")
                check(answers.unix, errorCase, over: "unix")
                #expect(answers.tcp.status == answers.unix.status, "\(errorCase): the transports agree")
                #expect(answers.tcp.body == answers.unix.body, "\(errorCase): the transports agree")
            }
        }
    }

    /// Routes that only the router can refuse (a body, a method) count as covered by either case.
    @Test func everyCataloguedEndpointHasAnErrorCase() {
        let covered = APIErrorCase.all.map { $0.path.prefix { $0 != "?" } }
        for endpoint in EndpointCatalog.all {
            let pattern = endpoint.path.split(separator: "/", omittingEmptySubsequences: false)
            let matched = covered.contains { path in
                let components = path.split(separator: "/", omittingEmptySubsequences: false)
                return components.count == pattern.count && zip(components, pattern).allSatisfy { $1.hasPrefix("{") || $0 == $1 }
            }
            #expect(matched, "\(endpoint.method) \(endpoint.path) has no error case")
        }
    }

    @Test func redisRefusingACommandIs500WithoutItsReply() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "ae")
        // Keys of the wrong type: Redis answers WRONGTYPE to the event and deliverable reads.
        _ = try await client.command(["SET", keys.events, "x"])
        _ = try await client.command(["SET", keys.deliverable(partnership: "technical", id: "microservices"), "x"])
        let config = try orchestrationConfig()
        let router = QueryRouter.build(
            store: SnapshotStore(orchestrationSnapshot(config)), explain: { _ in nil },
            events: EventLog(client: client, keys: keys, logger: Logger(label: "test")),
            partnerships: PartnershipDependencies(deliverables: DeliverableStore(client: client, keys: keys)) { _ in })
        try await BothTransports.with(router) { served in
            for path in ["/api/v1/events", "/api/v1/partnerships/technical/status"] {
                let expected = APIErrorCase(path: path, status: 500, code: "internal")
                let answers = try await served.send("GET", path)
                check(answers.tcp, expected, over: "tcp")
                check(answers.unix, expected, over: "unix")
            }
        }
    }

    @Test func anythingElseThrownIs500InTheShapeWithoutItsText() async throws {
        struct Failure: Error { let path = "/var/lib/devskyy/secret.db" }
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorShapeMiddleware())
        router.get("fails") { _, _ -> Response in throw Failure() }
        router.get("bare") { _, _ -> Response in throw HTTPError(.badRequest, message: "parser detail at /src/x.swift:12") }
        try await BothTransports.with(router) { served in
            let failed = try await served.send("GET", "/fails")
            check(failed.tcp, APIErrorCase(path: "/fails", status: 500, code: "internal"), over: "tcp")
            check(failed.unix, APIErrorCase(path: "/fails", status: 500, code: "internal"), over: "unix")
            let bare = try await served.send("GET", "/bare")
            check(bare.tcp, APIErrorCase(path: "/bare", status: 400, code: "bad_request"), over: "tcp")
            #expect(!String(decoding: bare.tcp.body, as: UTF8.self).contains("parser detail"))
            let unknown = try await served.send("GET", "/nope")
            check(unknown.unix, APIErrorCase(path: "/nope", status: 404, code: "not_found"), over: "unix")
        }
    }

    @Test func aBodyAtTheLimitIsReadAndTheLimitFollowsTheSettings() async throws {
        let router = try routerWithoutRedis()
        try await BothTransports.with(router) { served in
            // Exactly 1 KiB of valid update: past the limit checks, it reaches the missing store (503).
            let padded = #"{"status": "x""# + String(repeating: " ", count: 1_024 - 15) + "}"
            #expect(padded.utf8.count == 1_024)
            for headers in [APIErrorCase.json, APIErrorCase.json.merging(["Transfer-Encoding": "chunked"]) { $1 }] {
                let answers = try await served.send("PUT", APIErrorCase.deliverable, headers: headers, body: Array(padded.utf8))
                #expect(answers.tcp.status == 503 && answers.unix.status == 503, "\(headers)")
            }
            let over = try await served.send("PUT", APIErrorCase.deliverable, headers: APIErrorCase.json, body: Array((" " + padded).utf8))
            #expect(ErrorAnswer(body: over.tcp.body).message == "the body is larger than 1024 bytes")
        }
    }
}
