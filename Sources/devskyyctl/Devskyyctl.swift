import ArgumentParser
import DevSkyyCollect
import DevSkyyCore
import Foundation

@main
struct Devskyyctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devskyyctl",
        abstract: "Asks a running devskyyd about health and metrics.",
        version: DevSkyyVersion.string,
        subcommands: [
            Health.self, Metrics.self, Collectors.self, Test.self, SeriesList.self, Query.self, Events.self, Partnerships.self,
            SetDeliverable.self, HashPassword.self, APIKeyCommand.self,
        ]
    )
}

/// Where and how to reach the daemon.
struct Connection: ParsableArguments {
    @Option(name: .long, help: "The daemon's Unix socket.")
    var socket: String = "/run/devskyy/devskyyd.sock"

    @Option(name: .long, help: "Reach the daemon over TCP instead, e.g. http://127.0.0.1:9464.")
    var url: String?

    @Flag(name: .long, help: "Print the daemon's JSON as it is.")
    var json = false

    /// GETs (or POSTs, PUTs) a path and returns the body, or exits with a message.
    func get(
        _ path: String, method: String = "GET", body: [UInt8]? = nil, headers: [String: String] = [:], timeout: Duration = .seconds(5)
    ) throws -> Data {
        var request = FetchRequest(url: "http://localhost" + path, method: method, body: body, headers: headers, timeout: timeout)
        if let url {
            request.url = url.trimmingSuffix("/") + path
        } else {
            request.unixSocketPath = socket
        }
        switch fetchBlocking(request) {
        case .success(let response) where response.isSuccess:
            return Data(response.body)
        case .success(let response):
            throw DaemonAnswer("the daemon answered HTTP \(response.status) for \(path)\(ErrorDetail.from(response.body))")
        case .failure(let error):
            throw DaemonAnswer(unreachable(error))
        }
    }

    /// Why the daemon could not be reached, in the operator's terms: curl would say "localhost port 80" for a
    /// Unix socket that is not there.
    private func unreachable(_ error: FetchError) -> String {
        if let url { return "cannot reach devskyyd at \(url): \(error.message); is it running and listening there?" }
        let hint = "is devskyyd running? (give its socket with --socket PATH, or --url http://HOST:PORT for TCP)"
        guard FileManager.default.fileExists(atPath: socket) else { return "no daemon socket at \(socket): \(hint)" }
        if error.kind == .connect || error.kind == .transport {
            return
                "devskyyd does not answer on \(socket) (\(error.message.replacingOccurrences(of: "localhost port 80", with: "the socket"))): \(hint)"
        }
        return "devskyyd at \(socket): \(error.message)"
    }
}

/// A failure reported by or about the daemon: printed as `Error: …` with exit status 1, without the usage
/// text that ArgumentParser adds to a `ValidationError` (which is for mistakes on the command line).
struct DaemonAnswer: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

struct Health: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "System status, each partnership's health, collectors and Redis.")

    @OptionGroup var connection: Connection

    func run() throws {
        let body = try connection.get("/api/v1/orchestration/health")
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let health = try JSONObject(body)
        let redis = health.object("redis")
        print(
            "status: \(health.string("status"))   redis: \(redis.string("status"))\(redis.has("error") ? " (\(redis.string("error")))" : "")   updated: \(health.string("last_updated"))"
        )
        print()
        var rows = [["PARTNERSHIP", "TYPE", "HEALTH", "SCORE", "KEY VALUE", "UPDATED"]]
        var reasons: [String] = []
        let partnerships = health.object("partnerships")
        for id in partnerships.keys {
            let p = partnerships.object(id)
            let type = p.string("type")
            let keyField = Partnership.Kind(rawValue: type)?.keyField ?? ""
            rows.append([
                id, type, p.string("health"), p.string("score"), p.has(keyField) ? "\(keyField)=\(p.string(keyField))" : "-",
                p.string("last_updated"),
            ])
            for reason in p.array("reasons") { reasons.append("  \(id): \(reason.string("state")): \(reason.string("message"))") }
        }
        print(Table.render(rows))
        if !reasons.isEmpty { print("\nreasons:\n" + reasons.joined(separator: "\n")) }
        var collectors = [["COLLECTOR", "PARTNERSHIP", "UP", "LAST SUCCESS", "LAST ERROR"]]
        for c in health.array("collectors") {
            collectors.append([
                c.string("name"), c.string("partnership"), c.string("up") == "true" ? "yes" : "NO", c.string("last_success"),
                c.has("last_error") ? c.string("last_error") : "",
            ])
        }
        print()
        print(Table.render(collectors))
    }
}

struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The latest value of every metric, by partnership.")

    @OptionGroup var connection: Connection

    func run() throws {
        let body = try connection.get("/api/v1/orchestration/metrics")
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        var rows = [["PARTNERSHIP", "TYPE", "METRIC", "VALUE", "TIMESTAMP"]]
        for entry in try JSONObject.list(body) {
            let metrics = entry.object("metrics")
            for name in metrics.keys {
                rows.append([
                    entry.string("partnership_id"), entry.string("partnership_type"), name, metrics.string(name), entry.string("timestamp"),
                ])
            }
        }
        print(Table.render(rows))
    }
}

struct Collectors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each collector's state: up, errors by reason, skipped ticks, dropped series.")

    @OptionGroup var connection: Connection

    func run() throws {
        let body = try connection.get("/api/v1/collectors")
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        var rows = [["COLLECTOR", "UP", "RUNS", "SAMPLES", "ERRORS", "SKIPPED", "DROPPED", "BUDGET", "LAST ERROR"]]
        for c in try JSONObject(body).array("collectors") {
            rows.append([
                c.string("name"), c.string("up") == "true" ? "yes" : "NO", c.string("runs"), c.string("samples"), c.counts("errors"),
                c.counts("skipped_ticks"), c.string("dropped_series_total"), c.string("rate_limit_remaining"),
                c.has("last_error") ? c.string("last_error") : "",
            ])
        }
        print(Table.render(rows))
    }
}

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch one collector once through the daemon and show what each path yields; nothing is written."
    )

    @Argument(help: "The collector's name.")
    var collector: String

    @OptionGroup var connection: Connection

    func run() throws {
        let body = try connection.get(
            "/api/v1/collectors/\(PercentEncoding.pathSegment(collector))/test", method: "POST", timeout: .seconds(120))
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let explanation = try JSONDecoder().decode(Explanation.self, from: body)
        print(explanation.render())
        if explanation.error != nil { throw ExitCode(1) }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
