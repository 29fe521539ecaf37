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
            SetDeliverable.self, Login.self, Logout.self, HashPassword.self, APIKeyCommand.self,
        ]
    )
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
        let body = try connection.send(Endpoints.collectors, body: NoBody())
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        var rows = [["COLLECTOR", "UP", "RUNS", "SAMPLES", "ERRORS", "SKIPPED", "DROPPED", "BUDGET", "LAST ERROR"]]
        for c in try connection.decode(Endpoints.collectors, body).collectors {
            rows.append([
                c.name, c.up ? "yes" : "NO", String(c.runs), String(c.samples), Table.counts(c.errors), Table.counts(c.skippedTicks),
                String(c.droppedSeriesTotal), c.rateLimitRemaining.map(String.init) ?? "-", c.lastError ?? "",
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
        let body = try connection.send(Endpoints.collectorTest, ["name": collector], body: NoBody(), timeout: .seconds(120))
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let explanation = try connection.decode(Endpoints.collectorTest, body)
        print(explanation.render())
        if explanation.error != nil { throw ExitCode(1) }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
