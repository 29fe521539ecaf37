import DevSkyyCollect
import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Logging
import Testing

/// The machine failing around the outbox and Redis (issue 12): a full or read-only `state_dir`, Redis restarting
/// under the history routes. With Redis up, samples must reach it whatever the outbox's state, and the outbox must say
/// what is wrong with it.
@Suite("Machine faults around the outbox and Redis", .serialized)
struct MachineFaultsEndToEndTests {
    typealias Fixture = OutboxEndToEndTests.Fixture

    @Test(.enabled(if: Mounts.permitted, "needs root to mount a small tmpfs as state_dir"))
    func aFullStateDirDuringAnOutageNeitherFreezesRedisNorHoldsNewBatches() async throws {
        // Batches of about 3 KiB, one segment file (a page of its own) each: the disk runs out within a record or two.
        let fixture = try await Fixture(padding: 60, outbox: "{ fsync: always, segment_size: 4KiB }")
        try await OutboxEndToEndTests.run(with: fixture) { f in
            let state = f.folder.file("state")
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            #expect(Mounts.mountTmpfs(at: state, size: "64k"))
            defer { Mounts.unmount(state) }
            let daemon = try f.start()
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually { ((try? await f.stored()) ?? [:]).count >= 3 })
            #expect(f.outbox()?["status"] as? String == "ok")

            f.redis.kill()
            #expect(await eventually { (f.metric("devskyy_outbox_records") ?? 0) >= 2 }, "batches wait on disk")
            let filler = f.folder.file("state/filler")
            Mounts.fill(filler)
            #expect(await eventually { f.outbox()?["status"] as? String == "full" }, "health says the outbox is full")
            #expect((f.outbox()?["error"] as? String)?.contains("No space left") == true)
            #expect(f.statusOutbox()?["status"] as? String == "full")
            #expect(f.metricsText().contains(#"devskyy_outbox_status{status="full"} 1"#))
            #expect(f.metric("devskyy_outbox_writable") == 0)
            let waiting = Int(f.metric("devskyy_outbox_records") ?? 0)

            try await f.redis.start()
            #expect(await eventually(timeout: .seconds(20)) { f.metric("devskyy_redis_up") == 1 })
            let servedWhenBack = f.source.requestCount("/count.json")
            // Before the fix the outbox's first records came back forever (their progress could not be saved) and
            // every new batch went behind them: Redis got nothing more until the disk had room.
            #expect(
                await eventually(timeout: .seconds(15)) { ((try? await f.stored()) ?? [:]).keys.contains(servedWhenBack + 3) },
                "new samples reach Redis while the disk is still full")
            #expect(await eventually { f.metric("devskyy_outbox_records") == 0 }, "the \(waiting) waiting batches were replayed")
            #expect(f.metric("devskyy_outbox_replayed_samples_total") ?? 0 > 0)

            try FileManager.default.removeItem(atPath: filler)
            #expect(await eventually { f.outbox()?["status"] as? String == "ok" }, "writable again once there is room")
            let last = f.source.requestCount("/count.json")
            #expect(await eventually { ((try? await f.stored()) ?? [:]).keys.contains(last + 1) })
            daemon.signal(SIGTERM)
            #expect(await daemon.wait().status == 0)
            let stored = try await f.stored()
            // The value served as Redis was seen back may have been collected just before: it had nowhere to wait.
            let lost = (servedWhenBack + 1...f.source.requestCount("/count.json")).filter { stored[$0] == nil }
            #expect(lost.isEmpty, "values served after Redis was back and never stored: \(lost)")
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to run the daemon as another user"))
    func aReadOnlyStateDirDuringAnOutageReplaysOnceAndKeepsWriting() async throws {
        let nobody: UInt32 = 65_534
        try await OutboxEndToEndTests.run { f in
            // The daemon runs as nobody, so taking away the folder's write permission is felt (root ignores modes).
            let state = f.folder.file("state")
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            #expect(chown(state, nobody, nobody) == 0)
            let daemon = try f.start(user: nobody)
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually { ((try? await f.stored()) ?? [:]).count >= 3 })
            // A first short outage opens a segment file, which keeps taking appends once the folder is read-only.
            f.redis.kill()
            #expect(await eventually { (f.metric("devskyy_outbox_records") ?? 0) >= 1 })
            try await f.redis.start()
            #expect(await eventually(timeout: .seconds(20)) { f.metric("devskyy_outbox_records") == 0 })

            let outbox = f.folder.file("state/outbox")
            #expect(chmod(outbox, 0o500) == 0 && chmod(state, 0o500) == 0)
            f.redis.kill()
            #expect(await eventually { (f.metric("devskyy_outbox_records") ?? 0) >= 3 }, "batches wait in the open segment")
            try await f.redis.start()
            #expect(await eventually(timeout: .seconds(20)) { f.metric("devskyy_redis_up") == 1 })
            let servedWhenBack = f.source.requestCount("/count.json")
            // Before the fix: "cannot record outbox progress" five times a second, the same batches replayed in a loop
            // and nothing newer written until the folder was writable again.
            #expect(
                await eventually(timeout: .seconds(15)) { ((try? await f.stored()) ?? [:]).keys.contains(servedWhenBack + 3) },
                "new samples reach Redis while the folder is read-only")
            #expect(await eventually { f.metric("devskyy_outbox_records") == 0 }, "the outbox was replayed, once")
            #expect(await eventually { f.outbox()?["status"] as? String == "read_only" })
            #expect((f.outbox()?["error"] as? String)?.contains("Permission denied") == true)
            #expect(f.metricsText().contains(#"devskyy_outbox_status{status="read_only"} 1"#))

            #expect(chmod(outbox, 0o700) == 0 && chmod(state, 0o755) == 0)
            #expect(await eventually { f.outbox()?["status"] as? String == "ok" }, "writable again")
            daemon.signal(SIGTERM)
            let stopped = await daemon.wait()
            #expect(stopped.status == 0)
            let complaints = stopped.stderr.components(separatedBy: "outbox read_only").count - 1
            #expect(complaints >= 1 && complaints <= 2, "said once per change, not in a loop: \(complaints)")
            try await f.expectEverySampleStored()
        }
    }

    @Test func historyAndEventsAnswerSoonAfterARedisRestart() async throws {
        try await OutboxEndToEndTests.run { f in
            let daemon = try f.start()
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually { ((try? await f.stored()) ?? [:]).count >= 2 })
            #expect(try await f.get("/api/v1/series").status == 200)
            #expect(try await f.get("/api/v1/events").status == 200)

            f.redis.kill()
            // Reads while Redis is away fail (503), as they should; they must not keep failing once it is back.
            let outage = ContinuousClock.now + .seconds(6)
            while ContinuousClock.now < outage {
                #expect(try await f.get("/api/v1/series").status == 503)
                #expect(try await f.get("/api/v1/events").status == 503)
                try await Task.sleep(for: .milliseconds(200))
            }
            try await f.redis.start()
            #expect(
                await eventually(timeout: .seconds(20)) { f.metric("devskyy_redis_up") == 1 && f.metric("devskyy_outbox_records") == 0 })
            // Before the fix both answered 503 "Redis cannot be reached" for 30 s and more while health said up.
            #expect(await eventually(timeout: .seconds(8)) { (try? await f.get("/api/v1/series").status) == 200 })
            #expect(await eventually(timeout: .seconds(8)) { (try? await f.get("/api/v1/events").status) == 200 })
        }
    }

    @Test func redisFlappingEveryTwoSecondsLosesNothing() async throws {
        try await OutboxEndToEndTests.run { f in
            let daemon = try f.start()
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually { ((try? await f.stored()) ?? [:]).count >= 2 })
            for _ in 0..<6 {
                f.redis.kill()
                try await Task.sleep(for: .seconds(2))
                try await f.redis.start()
                try await Task.sleep(for: .seconds(2))
            }
            #expect(
                await eventually(timeout: .seconds(20)) { f.metric("devskyy_outbox_records") == 0 && f.metric("devskyy_redis_up") == 1 })
            daemon.signal(SIGTERM)
            #expect(await daemon.wait().status == 0)
            try await f.expectEverySampleStored()
        }
    }

    /// A sample counts as acknowledged once the daemon has it in Redis (AOF, fsync on every write) or in the outbox
    /// (`fsync: always`, the append returned): what a crash must not lose. After each SIGKILL the test reads both, the
    /// outbox by opening it as the next daemon will, and at the end every value read there must be in Redis.
    @Test func killedTwentyTimesMidBurstLosesNothingAcknowledged() async throws {
        let fixture = try await Fixture(interval: "100ms", timeout: "90ms")
        try await OutboxEndToEndTests.run(with: fixture) { f in
            var acknowledged: Set<Int> = []
            var fromOutbox: Set<Int> = []
            for round in 0..<20 {
                // Every other round Redis is away, so the kill lands in appends to the outbox or in its replay.
                if round % 2 == 1 { f.redis.kill() } else if !FreePort.isListening(f.redis.port) { try await f.redis.start() }
                let daemon = try f.start()
                let before = f.source.requestCount("/count.json")
                _ = await eventually(timeout: .seconds(5)) { f.source.requestCount("/count.json") > before }
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...900)))
                daemon.signal(SIGKILL)
                _ = await daemon.wait()
                if FreePort.isListening(f.redis.port) { acknowledged.formUnion(try await f.stored().keys) }
                let waiting = try f.valuesInOutbox()
                fromOutbox.formUnion(waiting)
                acknowledged.formUnion(waiting)
            }
            if !FreePort.isListening(f.redis.port) { try await f.redis.start() }
            let last = try f.start()
            defer { last.signal(SIGKILL) }
            #expect(
                await eventually(timeout: .seconds(20)) { f.metric("devskyy_outbox_records") == 0 && f.metric("devskyy_redis_up") == 1 })
            last.signal(SIGTERM)
            #expect(await last.wait().status == 0)
            let stored = Set(try await f.stored().keys)
            #expect(acknowledged.count >= 20 && !fromOutbox.isEmpty, "the kills hit writes: \(acknowledged.count), \(fromOutbox.count)")
            let lost = acknowledged.subtracting(stored).sorted()
            #expect(lost.isEmpty, "acknowledged before a kill, missing in Redis: \(lost)")
        }
    }
}

extension OutboxEndToEndTests.Fixture {
    /// The counter values in the outbox's records, read as a starting daemon reads them (a torn last record is cut).
    func valuesInOutbox() throws -> Set<Int> {
        let outbox = try Outbox(settings: .init(directory: outboxPath), logger: .init(label: "test"))
        var values: Set<Int> = []
        for record in try outbox.oldest(limit: .max) {
            for sample in SampleBatchCodec.decode(record.payload) ?? [] where sample.series == "counting.count" {
                if let value = Int(exactly: sample.value) { values.insert(value) }
            }
        }
        return values
    }

    func get(_ path: String) async throws -> PlainHTTP.Answer {
        try await PlainHTTP.request("GET", path, port: tcpPort)
    }

    func metricsText() -> String {
        guard let response = try? fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)/metrics", timeout: .seconds(2))).get() else {
            return ""
        }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The `outbox` object of the health answer.
    func outbox() -> [String: Any]? { object("/api/v1/orchestration/health")?["outbox"] as? [String: Any] }

    /// The `outbox` object of the status answer.
    func statusOutbox() -> [String: Any]? { object("/api/v1/orchestration/status")?["outbox"] as? [String: Any] }

    private func object(_ path: String) -> [String: Any]? {
        guard let response = try? fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)\(path)", timeout: .seconds(2))).get() else {
            return nil
        }
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
    }
}
