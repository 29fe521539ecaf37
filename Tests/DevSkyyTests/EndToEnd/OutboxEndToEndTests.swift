import DevSkyyCollect
import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Testing

/// Redis going away under a running daemon: a source serving a counter (1, 2, 3, … one per request), so every
/// sample the daemon collected is known, with the time it was served; afterwards each one must be in Redis.
@Suite("Nothing lost when Redis goes away", .serialized)
struct OutboxEndToEndTests {
    struct Fixture {
        let folder = TemporaryFolder("outbox-e2e")
        let redis: RedisServer
        let source: HTTPSource
        let tcpPort = FreePort.allocate()
        let served = Counter()
        var configPath: String { folder.file("devskyyd.yaml") }
        var outboxPath: String { folder.file("state/outbox") }
        static let series = "ob:ts:counting.count"

        /// - Parameters:
        ///   - padding: also serve this many `pad` values with each count, collected as labelled samples: batches of
        ///     some kilobytes, which fill a small disk in a few records.
        ///   - outbox: the `outbox` settings.
        init(interval: String = "400ms", timeout: String = "350ms", padding: Int = 0, outbox: String = "{ fsync: always }") async throws {
            redis = try await RedisServer(appendOnly: true)
            source = try await HTTPSource()
            let served = served
            let pad = (0..<padding).map { #""p\#($0)": \#($0)"# }.joined(separator: ", ")
            source.handle("/count.json") { _ in SourceResponse(#"{"count": \#(served.next()), "pad": {\#(pad)}}"#) }
            let padMetric = padding > 0 ? "\n      - { name: pad, path: \"pad.*\", key_labels: [slot] }" : ""
            folder.write(
                "devskyyd.yaml",
                """
                redis: { url: \(redis.url), key_prefix: ob, connect_timeout: 500ms, command_timeout: 1s }
                listen: { unix: "", tcp: 127.0.0.1:\(tcpPort) }
                state_dir: \(folder.file("state"))
                outbox: \(outbox)
                partnerships:
                  - { id: counting, name: Counting, type: technical }
                collectors:
                  - name: counter
                    partnership: counting
                    url: \(source.url("/count.json"))
                    interval: \(interval)
                    timeout: \(timeout)
                    metrics:
                      - { name: count, path: count }\(padMetric)
                """
            )
        }

        func start(user: UInt32? = nil) throws -> DaemonProcess {
            try DaemonProcess("devskyyd", arguments: ["--config", configPath], user: user)
        }

        func client() throws -> RedisClient {
            RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(redis.url).get(), connectTimeout: .milliseconds(500)))
        }

        /// The samples stored in the series: value → timestamp.
        func stored() async throws -> [Int: Int64] {
            let members = try await client().command(["ZRANGE", Self.series, "0", "-1"]).array?.compactMap(\.string) ?? []
            var result: [Int: Int64] = [:]
            for member in members {
                let parts = member.split(separator: ":")
                if parts.count == 2, let timestamp = Int64(parts[0]), let value = Double(parts[1]) { result[Int(value)] = timestamp }
            }
            return result
        }

        func metric(_ name: String) -> Double? {
            guard let response = try? fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)/metrics", timeout: .seconds(2))).get() else {
                return nil
            }
            let text = String(decoding: response.body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            return line.flatMap { Double($0.split(separator: " ")[1]) }
        }

        /// Every value the source served, each stored once with the time the daemon collected it (at most a second
        /// before the source served it), except `missing`.
        func expectEverySampleStored(except missing: Set<Int> = [], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let stored = try await stored()
            let requests = source.requests("/count.json")
            // A few seconds at 400 ms (a timeout well above a loaded machine's first fetch, so every served value is collected): enough requests that a lost or reordered batch would show.
            #expect(requests.count >= 10, sourceLocation: sourceLocation)
            var absent: [Int] = []
            for (index, request) in requests.enumerated() {
                let value = index + 1
                guard let timestamp = stored[value] else {
                    if !missing.contains(value) { absent.append(value) }
                    continue
                }
                #expect(
                    timestamp <= request.time && timestamp >= request.time - 1_000,
                    "value \(value) stored at \(timestamp), served at \(request.time)", sourceLocation: sourceLocation
                )
            }
            #expect(absent.isEmpty, "values never stored: \(absent)", sourceLocation: sourceLocation)
            #expect(stored.keys.allSatisfy { $0 >= 1 && $0 <= requests.count && !missing.contains($0) }, sourceLocation: sourceLocation)
            let ordered = stored.sorted { $0.key < $1.key }.map(\.value)
            #expect(
                zip(ordered, ordered.dropFirst()).allSatisfy { $0 < $1 }, "timestamps follow the values", sourceLocation: sourceLocation)
        }

        /// Runs a daemon until Redis has samples, kills Redis, stops the daemon with SIGTERM 3 s later (its queue
        /// goes to the outbox) and returns how many values the source served.
        func runThenStopWhileRedisIsDown() async throws -> Int {
            let daemon = try start()
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually { ((try? await stored()) ?? [:]).count >= 4 })
            redis.kill()
            try await Task.sleep(for: .seconds(3))
            daemon.signal(SIGTERM)
            #expect(await daemon.wait().status == 0, "a clean stop with Redis down")
            return source.requestCount("/count.json")
        }

        func stop() async {
            await source.stop()
            redis.stop()
            folder.remove()
        }
    }

    static func run(_ body: (Fixture) async throws -> Void) async throws {
        try await run(with: try await Fixture(), body)
    }

    /// Runs `body`, then stops the fixture's servers and removes its folder, thrown or not.
    static func run(with fixture: Fixture, _ body: (Fixture) async throws -> Void) async throws {
        do {
            try await body(fixture)
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test func redisKilledForTenSecondsThenBackLosesNoSample() async throws {
        try await Self.run { f in
            let daemon = try f.start()
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually { ((try? await f.stored()) ?? [:]).count >= 4 })
            f.redis.kill()
            try await Task.sleep(for: .seconds(10))
            #expect((f.metric("devskyy_outbox_records") ?? 0) > 0, "batches waited on disk")
            #expect(f.metric("devskyy_redis_up") == 0)
            try await f.redis.start()
            #expect(
                await eventually(timeout: .seconds(20)) { f.metric("devskyy_outbox_records") == 0 && f.metric("devskyy_redis_up") == 1 })
            try await Task.sleep(for: .seconds(1))
            #expect((f.metric("devskyy_outbox_replayed_samples_total") ?? 0) > 0)
            daemon.signal(SIGTERM)
            #expect(await daemon.wait().status == 0)
            try await f.expectEverySampleStored()
        }
    }

    @Test func stoppedWhileRedisIsDownReplaysAfterARestart() async throws {
        try await Self.run { f in
            let servedBeforeStop = try await f.runThenStopWhileRedisIsDown()

            try await f.redis.start()
            let second = try f.start()
            defer { second.signal(SIGKILL) }
            #expect(await eventually(timeout: .seconds(20)) { ((try? await f.stored()) ?? [:]).keys.contains(servedBeforeStop) })
            #expect(await eventually { f.metric("devskyy_outbox_records") == 0 })
            second.signal(SIGTERM)
            let stopped = await second.wait()
            #expect(stopped.status == 0)
            #expect(stopped.stderr.contains("the outbox holds"), "the restart says it replays: \(stopped.stderr)")
            try await f.expectEverySampleStored()
        }
    }

    @Test func aTruncatedLastRecordIsCutWithAWarningAndTheRestReplayed() async throws {
        try await Self.run { f in
            let servedBeforeStop = try await f.runThenStopWhileRedisIsDown()

            // Cut the newest segment mid-record, as a crash during an append would.
            let segments = try FileManager.default.contentsOfDirectory(atPath: f.outboxPath).filter { $0.hasPrefix("segment-") }.sorted()
            let last = try #require(segments.last)
            let path = "\(f.outboxPath)/\(last)"
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(truncate(path, off_t(size - 5)) == 0)
            try await f.redis.start()
            // What Redis got before it went away (no daemon runs now).
            let before = try await f.stored()
            let second = try f.start()
            defer { second.signal(SIGKILL) }
            #expect(await eventually { f.metric("devskyy_outbox_records") == 0 && f.metric("devskyy_redis_up") == 1 })
            #expect(await eventually { ((try? await f.stored()) ?? [:]).keys.contains { $0 > servedBeforeStop } }, "new samples flow")
            second.signal(SIGTERM)
            let stopped = await second.wait()
            #expect(stopped.status == 0)
            let log = stopped.stderr
            #expect(log.contains("warning") && log.contains(last), "the cut is reported, naming the segment: \(log)")

            // Exactly the newest values before the stop are missing, and only those.
            let stored = try await f.stored()
            let missing = Set((1...servedBeforeStop).filter { stored[$0] == nil })
            #expect(!missing.isEmpty, "the torn record's samples are gone")
            #expect(missing.min().map { $0 > (before.keys.max() ?? 0) } ?? false)
            #expect(missing == Set((missing.min() ?? 0)...servedBeforeStop), "one batch at the end: \(missing.sorted())")
            try await f.expectEverySampleStored(except: missing)
        }
    }
}
