import ArgumentParser
import DevSkyyCore
import Foundation

/// `devskyyctl partnerships`: each partnership's health and progress, then every deliverable.
struct Partnerships: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each partnership's health, score and progress, and the completion and status of its deliverables."
    )

    @OptionGroup var connection: Connection

    func run() throws {
        let body = try connection.get("/api/v1/partnerships")
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let partnerships = try JSONObject(body).array("partnerships")
        if partnerships.isEmpty { return print("no partnerships are configured") }
        var rows = [["PARTNERSHIP", "TYPE", "HEALTH", "SCORE", "PROGRESS", "DELIVERABLES", "UPDATED"]]
        var deliverables = [["PARTNERSHIP", "DELIVERABLE", "COMPLETION", "STATUS", "UPDATED"]]
        for p in partnerships {
            let items = p.array("deliverables")
            rows.append([
                p.string("id"), p.string("type"), p.string("health"), p.string("score"), Self.percent(p, "progress"),
                String(items.count), p.string("last_updated"),
            ])
            for d in items {
                deliverables.append([
                    p.string("id"), d.string("id"), Self.percent(d, "completion_percentage"), d.string("status"), d.string("last_updated"),
                ])
            }
        }
        print(Table.render(rows))
        if deliverables.count > 1 { print("\n" + Table.render(deliverables)) }
    }

    /// `60%`, or "-" when there is no value (a partnership without deliverables).
    static func percent(_ object: JSONObject, _ key: String) -> String {
        object.has(key) ? object.string(key) + "%" : "-"
    }
}

/// `devskyyctl deliverable PARTNERSHIP ID --completion N [--status TEXT]`: records a deliverable's progress.
struct SetDeliverable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliverable",
        abstract: "Set a deliverable's completion (0-100) and/or status; the change is stored in Redis and recorded as an event."
    )

    @Argument(help: "The partnership's id.")
    var partnership: String

    @Argument(help: "The deliverable's id.")
    var deliverable: String

    @Option(help: "Completion in percent, 0 to 100.")
    var completion: Double?

    @Option(help: "A short status text, e.g. in_progress or \"Implementation 85% complete\".")
    var status: String?

    @OptionGroup var connection: Connection

    func validate() throws {
        guard completion != nil || status != nil else { throw ValidationError("give --completion, --status or both") }
        if let completion, !(0...100).contains(completion) { throw ValidationError("--completion must be from 0 to 100") }
    }

    func run() throws {
        var fields: [String: Any] = [:]
        if let completion { fields["completion_percentage"] = completion }
        if let status { fields["status"] = status }
        let request = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        let path =
            "/api/v1/partnerships/\(PercentEncoding.pathSegment(partnership))/deliverables/\(PercentEncoding.pathSegment(deliverable))"
        let body = try connection.get(
            path, method: "PUT", body: Array(request), headers: ["Content-Type": "application/json"])
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let d = try JSONObject(body)
        print(
            "\(partnership)/\(d.string("id")): \(d.string("completion_percentage"))% \(d.string("status")) (updated \(d.string("last_updated")))"
        )
    }
}
