import DevSkyyCollect
import DevSkyyTestSupport
import Foundation
import Testing

/// The wall clock stepped an hour forward and then back while the daemon runs (libfaketime, from Debian's
/// libfaketime, moves only CLOCK_REALTIME; the monotonic clock runs on as it does under NTP or an operator's
/// `date -s`). The schedule, the backoff of a failing collector and the health timers must not notice.
@Suite("Wall clock steps end to end", .serialized)
struct ClockStepEndToEndTests {
    static let library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: library), "libfaketime is not installed"))
    func scheduleBackoffAndHealthSurviveClockSteps() async throws {
        let folder = TemporaryFolder("clockstep")
        let redis = try await RedisServer()
        let source = try await HTTPSource()
        let tcpPort = FreePort.allocate()
        var daemon: DaemonProcess?
        defer {
            daemon?.signal(SIGKILL)
            redis.stop()
            folder.remove()
        }
        source.serve("/ok", #"{"uptime": 50}"#)
        source.serve("/broken", status: 500, "{}")
        folder.write("offset", "+0")
        folder.write(
            "d.yaml",
            """
            redis: { url: "\(redis.url)" }
            listen: { unix: "", tcp: "127.0.0.1:\(tcpPort)" }
            state_dir: \(folder.file("state"))
            collection: { backoff_max: 2s }
            partnerships: [{ id: p, type: technical, key_metric: uptime }]
            collectors:
              - { name: ok, partnership: p, url: "\(source.url("/ok"))", interval: 500ms, timeout: 400ms, metrics: [{ name: uptime, path: uptime }] }
              - { name: broken, partnership: p, url: "\(source.url("/broken"))", interval: 500ms, timeout: 400ms, metrics: [{ name: other, path: uptime }] }
            thresholds:
              - { partnership: p, metric: uptime, critical: { below: 99 }, for: 1s }
            """
        )
        // Through env(1), preloaded too: spawned straight from this process, the preloaded daemon lost its
        // arguments (the Swift runtime finds argv next to the environment block, which libfaketime's start-up
        // moves); a parent that is preloaded as well hands it a layout where they are found.
        daemon = try DaemonProcess(
            "/usr/bin/env", arguments: ["\(DaemonProcess.binaries)/devskyyd", "--config", folder.file("d.yaml")],
            environment: [
                "LD_PRELOAD": Self.library, "FAKETIME_TIMESTAMP_FILE": folder.file("offset"), "FAKETIME_NO_CACHE": "1",
                "DONT_FAKE_MONOTONIC": "1",
            ])

        func health() -> String? {
            guard
                let answer = try? fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)/api/v1/orchestration/health", timeout: .seconds(2)))
                    .get(),
                let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
                let partnerships = object["partnerships"] as? [String: Any], let p = partnerships["p"] as? [String: Any]
            else { return nil }
            return p["health"] as? String
        }
        let critical = await eventually(timeout: .seconds(15)) { health() == "critical" }
        #expect(critical, "critical after its `for`: \(daemon?.stderrSoFar.suffix(1_500) ?? "")")

        for (offset, label) in [("+1h", "an hour forward"), ("+0", "back an hour")] {
            folder.write("offset", offset)
            let ok = source.requestCount("/ok")
            let broken = source.requestCount("/broken")
            let phase = ContinuousClock.now
            // Six seconds: twelve ticks of the healthy collector, three backoff caps of the failing one.
            let kept = await eventually(timeout: .seconds(6)) {
                source.requestCount("/ok") - ok >= 9 && source.requestCount("/broken") - broken >= 2
                    && ContinuousClock.now - phase >= .seconds(3)
            }
            #expect(
                kept,
                "\(label): ok ran \(source.requestCount("/ok") - ok) times, broken \(source.requestCount("/broken") - broken) in 6 s")
            #expect(health() == "critical", "\(label): health stays critical, not unknown: \(health() ?? "no answer")")
            #expect(daemon?.isRunning == true)
        }
        await source.stop()
    }
}
