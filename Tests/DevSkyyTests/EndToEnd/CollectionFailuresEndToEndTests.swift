import DevSkyyCollect
import DevSkyyTestSupport
import Foundation
import Testing

/// One daemon, one healthy collector and one collector per failure mode: each failure is contained,
/// shows in the self-metrics and in devskyyctl, and rate limits are honoured by the scheduler.
@Suite("Collection failures end to end", .serialized)
struct CollectionFailuresEndToEndTests {
    static let document = #"{"metrics": {"uptime": 99.5}}"#

    @Test func failuresAreContainedCountedAndShown() async throws {
        let folder = TemporaryFolder("fail")
        let redis = try await RedisServer()
        let source = try await HTTPSource()
        let tcpPort = FreePort.allocate()
        var daemon: DaemonProcess?
        defer {
            daemon?.signal(SIGKILL)
            redis.stop()
            folder.remove()
        }

        source.serve("/ok", Self.document)
        source.serve("/slow", Self.document)
        source.delay("/slow", by: .seconds(2))
        source.serve("/broken", status: 500, "{}")
        source.serve("/garbage", "{\"metrics\": ")
        source.serve("/big", "[" + String(repeating: "1,", count: 2_000) + "1]")
        source.handle("/stall") { _ in SourceResponse(body: Array(Self.document.utf8), stallAfter: 5, stall: .seconds(2)) }
        let limitedCalls = Counter()
        source.handle("/limited") { _ in
            limitedCalls.next() == 1 ? SourceResponse(status: 429, headers: ["Retry-After": "3"], "{}") : SourceResponse(Self.document)
        }
        let budgetCalls = Counter()
        source.handle("/budget") { _ in
            // The first answer spends the budget until a reset three seconds away.
            let reset = Int(Date().timeIntervalSince1970) + 3
            let remaining = budgetCalls.next() == 1 ? "0" : "41"
            return SourceResponse(headers: ["X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": String(reset)], Self.document)
        }
        source.serve("/prom", "# TYPE up gauge\nup{job=\"x\"} 1\nnot a line\n")

        let refusing = RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let refused = "http://127.0.0.1:\(refusing.port)/x"
        let collectors: [(String, String, String)] = [
            ("healthy", source.url("/ok"), ""), ("timeout", source.url("/slow"), ""), ("refused", refused, ""),
            ("http500", source.url("/broken"), ""), ("http404", source.url("/missing"), ""), ("malformed", source.url("/garbage"), ""),
            ("toolarge", source.url("/big"), "max_body: 1KiB"), ("stall", source.url("/stall"), ""),
            ("limited", source.url("/limited"), ""), ("budget", source.url("/budget"), ""),
        ]
        var yaml = """
            redis: { url: "\(redis.url)" }
            listen: { unix: "\(folder.file("d.sock"))", tcp: "127.0.0.1:\(tcpPort)" }
            state_dir: \(folder.path)
            partnerships: [{ id: p, type: technical }]
            collectors:

            """
        for (name, url, extra) in collectors {
            yaml += """
                  - name: \(name)
                    partnership: p
                    url: \(url)
                    interval: 500ms
                    timeout: 300ms
                    \(extra)
                    metrics: [{ name: uptime, path: metrics.uptime }]

                """
        }
        yaml += """
              - { name: prom, partnership: p, url: "\(source.url("/prom"))", interval: 500ms, timeout: 300ms, format: prometheus }

            """
        folder.write("d.yaml", yaml)
        daemon = try DaemonProcess("devskyyd", arguments: ["--config", folder.file("d.yaml")])
        try await Task.sleep(for: .milliseconds(4_500))

        let collectorsJSON = try fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)/api/v1/collectors", timeout: .seconds(2))).get()
        let object = try #require(JSONSerialization.jsonObject(with: Data(collectorsJSON.body)) as? [String: Any])
        let statuses = Dictionary(
            uniqueKeysWithValues: (object["collectors"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0) }
        )
        func errors(_ name: String) -> [String: Int] { statuses[name]?["errors"] as? [String: Int] ?? [:] }

        // The healthy collector kept its pace: a run at start, then every 500 ms.
        #expect((7...11).contains(statuses["healthy"]?["runs"] as? Int ?? 0))
        #expect(errors("healthy").isEmpty)
        #expect(statuses["healthy"]?["up"] as? Bool == true)
        #expect(errors("timeout")["timeout"] ?? 0 >= 1)
        #expect(errors("refused")["connect"] ?? 0 >= 1)
        #expect(errors("http500")["http_500"] ?? 0 >= 1)
        #expect(errors("http404")["http_404"] ?? 0 >= 1)
        #expect(errors("malformed")["parse"] ?? 0 >= 1)
        #expect(errors("toolarge")["too_large"] ?? 0 >= 1)
        #expect(errors("stall")["timeout"] ?? 0 >= 1)
        #expect(errors("limited")["rate_limited"] == 1)
        // Failing collectors back off: far fewer attempts than the healthy one.
        #expect((statuses["http500"]?["runs"] as? Int ?? 99) < 6)
        // The prometheus collector is up; its bad line is a problem, not a failure.
        #expect(statuses["prom"]?["up"] as? Bool == true)
        #expect((statuses["prom"]?["last_error"] as? String)?.contains("line 3") == true)

        // 429 Retry-After: 3 → no request before it expired.
        let limited = source.requests("/limited").map(\.time)
        #expect(limited.count >= 2)
        if limited.count >= 2 { #expect(limited[1] - limited[0] >= 3_000) }
        // A spent budget pauses the collector until the reset.
        let budget = source.requests("/budget").map(\.time)
        #expect(budget.count >= 2)
        if budget.count >= 2 { #expect(budget[1] - budget[0] >= 2_000, "paused until the reset, not 500 ms") }
        #expect(statuses["budget"]?["rate_limit_remaining"] as? Int == 41)
        let skipped = statuses["limited"]?["skipped_ticks"] as? [String: Int] ?? [:]
        #expect(skipped["rate_limited"] ?? 0 >= 4)

        // The same in the Prometheus self-metrics…
        let metrics = String(
            decoding: try fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)/metrics", timeout: .seconds(2))).get().body, as: UTF8.self)
        #expect(metrics.contains("devskyy_collector_errors_total{collector=\"http500\",partnership=\"p\",reason=\"http_500\"}"))
        #expect(metrics.contains("devskyy_collector_skipped_ticks_total{collector=\"limited\",partnership=\"p\",reason=\"rate_limited\"}"))
        #expect(metrics.contains("devskyy_collector_rate_limit_remaining{collector=\"budget\",partnership=\"p\"} 41"))
        #expect(metrics.contains("devskyy_collector_up{collector=\"healthy\",partnership=\"p\"} 1"))
        try await DaemonEndToEndTests.promtoolAccepts(metrics)

        // …and in devskyyctl.
        let ctl = try await DaemonProcess.run("devskyyctl", ["collectors", "--socket", folder.file("d.sock")])
        #expect(ctl.status == 0)
        for (name, reason) in [("timeout", "timeout="), ("refused", "connect="), ("http500", "http_500="), ("toolarge", "too_large=")] {
            let line = ctl.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            #expect(line?.contains(reason) == true, "\(name): \(line ?? "missing")")
        }

        // devskyyctl test explains one collector through the daemon, writing nothing.
        let test = try await DaemonProcess.run("devskyyctl", ["test", "healthy", "--socket", folder.file("d.sock")])
        #expect(test.status == 0)
        #expect(test.stdout.contains("99.5 (number)  series p.uptime  key devskyy:ts:p.uptime"))
        let failing = try await DaemonProcess.run("devskyyctl", ["test", "http500", "--socket", folder.file("d.sock")])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("FAILED: http_500"))

        // devskyyd --test does the same without a running daemon.
        let offline = try await DaemonProcess.run("devskyyd", ["--config", folder.file("d.yaml"), "--test", "healthy"])
        #expect(offline.status == 0)
        #expect(offline.stdout.contains("series p.uptime  key devskyy:ts:p.uptime"))
        #expect(offline.stdout.contains("nothing was written"))

        daemon?.signal(SIGTERM)
        #expect(await daemon?.wait().status == 0)
        await source.stop()
    }
}
