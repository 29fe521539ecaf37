import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Testing

/// Routes that show deliverable progress, with the technical partnership's first deliverable's path for updates.
private let progressRoutes = [
    "/api/v1/orchestration/partnerships", "/api/v1/partnerships", "/api/v1/partnerships/technical/status",
    "/api/v1/partnerships/technical/deliverables",
]
private let microservices = "/api/v1/partnerships/technical/deliverables/microservices"

/// The partnerships of `orchestrationConfig()`, served over a board on the given Redis keys.
private func serve<T>(
    _ redis: RedisServer, prefix: String, store: SnapshotStore? = nil,
    _ body: (ServedOrchestration, PartnershipDependencies) async throws -> T
) async throws -> T {
    let partnerships = PartnershipDependencies(deliverables: DeliverableStore(client: try redis.client(), keys: RedisKeys(prefix: prefix)))
    {
        _ in
    }
    let store = try store ?? SnapshotStore(orchestrationSnapshot(orchestrationConfig()))
    return try await ServedOrchestration.with(store: store, partnerships: partnerships) { try await body($0, partnerships) }
}

/// The mean progress of the technical partnership as each of `progressRoutes` shows it.
private func technicalProgress(_ answer: PlainHTTP.Answer) throws -> Double? {
    let json = try JSONSerialization.jsonObject(with: Data(answer.body))
    switch json {
    case let list as [[String: Any]]: return list.first?["progress"] as? Double
    case let object as [String: Any]:
        if let list = object["partnerships"] as? [[String: Any]] { return list.first?["progress"] as? Double }
        return object["progress"] as? Double
    default: return nil
    }
}

@Suite("Partnership answers encoded once per snapshot and board version")
struct PartnershipCachingTests {
    @Test func twoRequestsOfOneVersionGetTheSameBytesAndTag() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let config = try orchestrationConfig()
        let store = SnapshotStore(orchestrationSnapshot(config))
        try await serve(redis, prefix: "pc1", store: store) { served, partnerships in
            var tags: Set<String> = []
            for path in progressRoutes {
                let first = try await served.fetch(path)
                #expect(first.status == 200, "\(path)")
                #expect(first.headers["cache-control"] == "max-age=30", "\(path)")
                let etag = try #require(first.headers["etag"], "\(path)")
                tags.insert(etag)
                let again = try await served.fetch(path)
                #expect(again.body == first.body && again.headers["etag"] == etag, "\(path)")
                let notModified = try await served.fetch(path, headers: ["If-None-Match": etag])
                #expect(notModified.status == 304 && notModified.body.isEmpty, "\(path)")
            }
            #expect(tags.count == progressRoutes.count, "each body has its own tag")

            // Not only equal: the very object, encoded once, until the board changes.
            let encoded = store.encoded
            let before = try await partnerships.board.contents(for: config.partnerships)
            #expect(encoded.partnerships(before) === encoded.partnerships(before))
            _ = try await partnerships.board.update(partnership: "technical", id: "microservices", completion: 5, status: nil, at: 1)
            let after = try await partnerships.board.contents(for: config.partnerships)
            let current = encoded.partnerships(after)
            #expect(current !== encoded.partnerships(before), "an older version is answered but not kept")
            #expect(encoded.partnerships(after) === current)
        }
    }

    @Test func anUpdateChangesTheNextAnswerAndItsTagAtOnce() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await serve(redis, prefix: "pc2") { served, _ in
            var tags: [String: String] = [:]
            for path in progressRoutes {
                let answer = try await served.fetch(path)
                #expect(try technicalProgress(answer) == 0, "\(path)")
                tags[path] = answer.headers["etag"]
            }
            let put = try await served.fetch(
                microservices, method: "PUT", headers: ["Content-Type": "application/json"],
                body: Array(#"{"completion_percentage": 40}"#.utf8))
            #expect(put.status == 200)
            for path in progressRoutes {
                let changed = try await served.fetch(path, headers: ["If-None-Match": tags[path] ?? ""])
                #expect(changed.status == 200, "the old tag no longer matches: \(path)")
                #expect(try technicalProgress(changed) == 20, "the mean of 40 and 0: \(path)")
                let etag = try #require(changed.headers["etag"])
                #expect(etag != tags[path], "\(path)")
                #expect(try await served.fetch(path, headers: ["If-None-Match": etag]).status == 304, "\(path)")
            }
        }
    }

    @Test func progressSurvivesARestartAndHandEditsAreSeenAfterOne() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        try await serve(redis, prefix: "pc3") { served, _ in
            #expect(try await served.fetch("/api/v1/partnerships").status == 200, "the board loads")
            let put = try await served.fetch(
                microservices, method: "PUT", headers: ["Content-Type": "application/json"],
                body: Array(#"{"completion_percentage": 60}"#.utf8))
            #expect(put.status == 200)
            // The daemon is the only writer: a change made in Redis by hand is not read back while it runs.
            _ = try await client.command([
                "HSET", RedisKeys(prefix: "pc3").deliverable(partnership: "technical", id: "personalization"), "completion_percentage",
                "20",
            ])
            #expect(try technicalProgress(try await served.fetch("/api/v1/partnerships/technical/status")) == 30)
        }
        // Fresh routes and board over the same Redis: the update and the hand edit are both read.
        try await serve(redis, prefix: "pc3") { served, _ in
            for path in progressRoutes {
                let answer = try await served.fetch(path)
                #expect(try technicalProgress(answer) == 40, "the mean of 60 and 20: \(path)")
            }
        }
    }

    @Test func redisDownAtFirstUseIs503AndTheRoutesAnswerOnceItIsBack() async throws {
        let redis = try await RedisServer(appendOnly: true)
        defer { redis.stop() }
        _ = try await redis.client().command([
            "HSET", RedisKeys(prefix: "pc4").deliverable(partnership: "technical", id: "microservices"), "completion_percentage", "50",
        ])
        try await serve(redis, prefix: "pc4") { served, _ in
            redis.kill()
            for path in progressRoutes.dropFirst() {
                let answer = try await served.fetch(path)
                #expect(answer.status == 503, "\(path)")
                #expect(answer.contentType == "application/json")
                let error = ErrorAnswer(body: answer.body)
                #expect(error.status == "error" && error.code == "unavailable", "\(path)")
                #expect(error.message == "deliverable progress is unavailable: Redis cannot be reached")
                #expect(answer.headers["etag"] == nil)
            }
            // The orchestration list is a health view: it still answers, every deliverable at its defaults.
            let orchestration = try await served.fetch(progressRoutes[0])
            #expect(orchestration.status == 200)
            #expect(try technicalProgress(orchestration) == 0)

            try await redis.start()
            #expect(await eventually { (try? await served.fetch("/api/v1/partnerships"))?.status == 200 }, "the board loads again")
            for path in progressRoutes {
                let answer = try await served.fetch(path)
                #expect(answer.status == 200, "\(path)")
                #expect(try technicalProgress(answer) == 25, "the stored 50 and a default 0: \(path)")
            }
        }
    }
}
