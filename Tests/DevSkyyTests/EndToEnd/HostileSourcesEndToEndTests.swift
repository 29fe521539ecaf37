import DevSkyyCollect
import DevSkyyTestSupport
import Foundation
import Testing

/// One daemon, a healthy collector and one collector per way a source can misbehave. Every failure stays in
/// its collector (up 0 with the reason), the daemon keeps running and the healthy collector keeps its pace,
/// and the daemon's peak resident memory stays under `peakBoundKiB`.
@Suite("Hostile sources end to end", .serialized)
struct HostileSourcesEndToEndTests {
    static let document = #"{"metrics": {"uptime": 99.5}}"#
    /// The daemon idles at about 45 MiB and peaked at 59 MiB in this suite; every answer below is cut off long
    /// before it could add this much.
    static let peakBoundKiB = 128 * 1_024

    struct Case {
        var name: String
        var path: String
        var extra: String = ""
        /// Up after its runs (the source misbehaved in a way that still answers), or down with `reason`.
        var up: Bool = false
        var reason: String?
        var format = "json"
        /// Part of `last_error` when the run is up but a line or path was refused.
        var problem: String?
    }

    static func head(_ status: String, _ headers: [String] = [], length: Int? = nil) -> String {
        (["HTTP/1.1 \(status)"] + headers + (length.map { ["Content-Length: \($0)"] } ?? [])).joined(separator: "\r\n") + "\r\n\r\n"
    }

    static func ok(_ body: String, headers: [String] = []) -> (String, [UInt8]) {
        (head("200 OK", ["Content-Type: application/json"] + headers, length: body.utf8.count), Array(body.utf8))
    }

    @Test func everyMisbehaviourStaysInItsCollector() async throws {
        let folder = TemporaryFolder("hostile")
        let redis = try await RedisServer()
        let source = try await HTTPSource()
        let hostile = try HostileSource()
        let tcpPort = FreePort.allocate()
        var daemon: DaemonProcess?
        defer {
            daemon?.signal(SIGKILL)
            hostile.stop()
            redis.stop()
            folder.remove()
        }
        source.serve("/ok", Self.document)

        var cases: [Case] = []
        func add(_ name: String, _ head: String, _ body: [UInt8], _ expectation: Case) {
            hostile.raw("/\(name)", head: head, body: body)
            var entry = expectation
            entry.name = name
            entry.path = "/\(name)"
            cases.append(entry)
        }
        let limited = Self.head("429 Too Many Requests", ["Retry-After: 1e20"], length: 2)
        add("retry_huge", limited, Array("{}".utf8), Case(name: "", path: "", reason: "rate_limited"))
        add(
            "retry_inf", Self.head("429 Too Many Requests", ["Retry-After: inf"], length: 2), Array("{}".utf8),
            .init(name: "", path: "", reason: "rate_limited"))
        add(
            "retry_date", Self.head("503 Busy", ["Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"], length: 2), Array("{}".utf8),
            .init(name: "", path: "", reason: "http_503"))
        let reset = Self.ok(Self.document, headers: ["X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 99999999999999999999999"])
        add("reset_huge", reset.0, reset.1, .init(name: "", path: "", up: true))
        let negative = Self.ok(Self.document, headers: ["X-RateLimit-Remaining: -99999999999999999999", "RateLimit-Reset: -1e308"])
        add("reset_negative", negative.0, negative.1, .init(name: "", path: "", up: true))
        let nesting = Self.ok(String(repeating: "[", count: 300_000))
        add("nesting", nesting.0, nesting.1, .init(name: "", path: "", reason: "parse"))
        let bigNumber = Self.ok(#"{"metrics": {"uptime": 1e999999}, "other": -1e999999}"#)
        add("bignumber", bigNumber.0, bigNumber.1, .init(name: "", path: "", up: true))
        let hugeKey = Self.ok(#"{""# + String(repeating: "k", count: 3_000_000) + #"": 1, "metrics": {"uptime": 1}}"#)
        add("hugekey", hugeKey.0, hugeKey.1, .init(name: "", path: "", up: true))
        let badUTF8 = [UInt8](#"{"metrics": {"uptime": 1, ""#.utf8) + [0xFF, 0xFE, 0xC0, 0x80] + Array(#"": "\#u{FFFF}"}}"#.utf8)
        add("badutf8", Self.head("200 OK", length: badUTF8.count), badUTF8, .init(name: "", path: "", reason: "parse"))
        let manyHeaders = (0..<30_000).map { "X-RateLimit-Junk-\($0): \($0)" }
        add(
            "headers_many", Self.head("200 OK", manyHeaders, length: Self.document.utf8.count), Array(Self.document.utf8),
            .init(name: "", path: "", reason: "transport"))
        let bigHeader = "X-RateLimit-Remaining: " + String(repeating: "9", count: 3_000_000)
        add(
            "header_huge", Self.head("200 OK", [bigHeader], length: Self.document.utf8.count), Array(Self.document.utf8),
            .init(name: "", path: "", reason: "transport"))
        let bomb = try gzippedZeros(megabytes: 64)
        add(
            "gzip_bomb", Self.head("200 OK", ["Content-Encoding: gzip"], length: bomb.count), bomb,
            .init(name: "", path: "", extra: "max_body: 1MiB", reason: "too_large"))
        let labels = (0..<100_000).map { "l\($0)=\"v\"" }.joined(separator: ",")
        let exposition = "# TYPE up gauge\nup{\(labels)} 1\n"
        add(
            "prom_labels", Self.head("200 OK", length: exposition.utf8.count), Array(exposition.utf8),
            .init(name: "", path: "", up: true, format: "prometheus", problem: "more than 64 labels"))
        add(
            "redirect_loop", Self.head("302 Found", ["Location: /redirect_loop"], length: 0), [],
            .init(name: "", path: "", reason: "transport"))
        add("lying_length", Self.head("200 OK", length: 100_000), Array(Self.document.utf8), .init(name: "", path: "", reason: "transport"))
        hostile.script(
            "/drip", [.bytes(Array(Self.head("200 OK", length: 50).utf8)), .drip(Array(repeating: 0x20, count: 50), every: .seconds(1))])
        cases.append(.init(name: "drip", path: "/drip", reason: "timeout"))
        hostile.script("/reset", [.bytes(Array(Self.head("200 OK", length: 100_000).utf8)), .bytes(Array("{\"metrics\": ".utf8)), .reset])
        cases.append(.init(name: "reset", path: "/reset", reason: "transport"))
        hostile.raw(
            "/token_huge", head: Self.ok(#"{"access_token":"t1","expires_in":1e300}"#).0,
            body: Self.ok(#"{"access_token":"t1","expires_in":1e300}"#).1)
        hostile.raw(
            "/token_negative", head: Self.ok(#"{"access_token":"t2","expires_in":-1e308}"#).0,
            body: Self.ok(#"{"access_token":"t2","expires_in":-1e308}"#).1)
        for (name, token) in [("oauth_huge", "/token_huge"), ("oauth_negative", "/token_negative")] {
            let answer = Self.ok(Self.document)
            hostile.raw("/\(name)", head: answer.0, body: answer.1)
            cases.append(
                .init(
                    name: name, path: "/\(name)", extra: "oauth2: { token_url: \"\(hostile.url(token))\", client_id: c, client_secret: s }",
                    up: true))
        }

        var yaml = """
            redis: { url: "\(redis.url)" }
            listen: { unix: "\(folder.file("d.sock"))", tcp: "127.0.0.1:\(tcpPort)" }
            state_dir: \(folder.path)
            collection: { backoff_max: 2s }
            partnerships: [{ id: p, type: technical }]
            collectors:
              - { name: healthy, partnership: p, url: "\(source.url("/ok"))", interval: 1s, timeout: 900ms, metrics: [{ name: uptime, path: metrics.uptime }] }

            """
        for entry in cases {
            let metrics = entry.format == "json" ? "metrics: [{ name: uptime, path: metrics.uptime }]" : "format: prometheus"
            yaml += """
                  - name: \(entry.name)
                    partnership: p
                    url: "\(hostile.url(entry.path))"
                    interval: 500ms
                    timeout: 400ms
                    \(entry.extra)
                    \(metrics)

                """
        }
        folder.write("d.yaml", yaml)
        daemon = try DaemonProcess("devskyyd", arguments: ["--config", folder.file("d.yaml")])
        let started = ContinuousClock.now

        // Every hostile collector ran at least three times: a source's pause (Retry-After, a rate-limit reset) is
        // held to backoff_max (2 s). The healthy collector's runs are counted from its first.
        var statuses: [String: [String: Any]] = [:]
        var firstRun: (at: ContinuousClock.Instant, runs: Int)?
        let ranThrice = await eventually(timeout: .seconds(40)) {
            guard let answer = try? fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)/api/v1/collectors", timeout: .seconds(5))).get(),
                let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
            else { return false }
            statuses = Dictionary(
                uniqueKeysWithValues: (object["collectors"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0) })
            if firstRun == nil, let runs = statuses["healthy"]?["runs"] as? Int, runs > 0 { firstRun = (.now, runs) }
            return cases.allSatisfy { hostile.requestCount($0.path) >= 3 }
        }
        #expect(daemon?.isRunning == true, "the daemon survived: \(daemon?.stderrSoFar.suffix(2_000) ?? "")")
        #expect(ranThrice, "runs: \(cases.map { "\($0.name)=\(hostile.requestCount($0.path))" })")

        for entry in cases {
            let status = statuses[entry.name] ?? [:]
            #expect(status["up"] as? Bool == entry.up, "\(entry.name): \(status["last_error"] ?? "no error")")
            if let reason = entry.reason {
                let errors = status["errors"] as? [String: Int] ?? [:]
                #expect(errors[reason] ?? 0 >= 1, "\(entry.name): \(errors), \(status["last_error"] ?? "")")
                #expect((status["last_error"] as? String)?.isEmpty == false, "\(entry.name) says why")
            }
            if let problem = entry.problem {
                #expect((status["last_error"] as? String)?.contains(problem) == true, "\(entry.name): \(status["last_error"] ?? "")")
            }
        }
        // The healthy collector kept its schedule throughout: a run every second since the first (its timeout
        // leaves room for a loaded machine; the hostile ones run every 500 ms).
        let healthy = statuses["healthy"] ?? [:]
        #expect(healthy["up"] as? Bool == true)
        // Under a sanitizer a run takes a few times as long, and a 900 ms timeout can be reached once.
        #expect((healthy["errors"] as? [String: Int] ?? [:]).isEmpty || Sanitizer.active)
        let runs = healthy["runs"] as? Int ?? 0
        let first = firstRun ?? (started, 0)
        let intervals = (ContinuousClock.now - first.at) / .seconds(1)
        // Under a sanitizer a run takes a few times as long: the pace is the real build's.
        #expect(
            Double(runs - first.runs) >= 0.7 * intervals - 1 || Sanitizer.active,
            "healthy: \(runs - first.runs) runs in \(intervals) intervals")

        let peak = daemon?.statusKiB("VmHWM") ?? 0
        print("hostile sources: daemon peak RSS \(peak) KiB, healthy runs \(runs)")
        // AddressSanitizer's shadow memory and quarantine are not the daemon's: the bound holds for the real build.
        #expect(peak > 0 && (peak < Self.peakBoundKiB || Sanitizer.active), "peak RSS \(peak) KiB")
        await source.stop()
    }

    /// `count` MiB of zeros, gzip-compressed (about 1 KiB per MiB): the decoded size is what max_body must hold.
    func gzippedZeros(megabytes: Int) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c \(megabytes)M /dev/zero | gzip -c -n"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
