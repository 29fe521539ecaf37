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
        let body = try connection.send(Endpoints.partnerships, body: NoBody())
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let partnerships = try connection.decode(Endpoints.partnerships, body).partnerships
        if partnerships.isEmpty { return print("no partnerships are configured") }
        var rows = [["PARTNERSHIP", "TYPE", "HEALTH", "SCORE", "PROGRESS", "DELIVERABLES", "UPDATED"]]
        var deliverables = [["PARTNERSHIP", "DELIVERABLE", "COMPLETION", "STATUS", "UPDATED"]]
        for p in partnerships {
            rows.append([
                p.id, p.type, p.health, Table.number(p.score), p.progress.map { Table.number($0) + "%" } ?? "-",
                String(p.deliverables.count), p.lastUpdated ?? "-",
            ])
            for d in p.deliverables {
                deliverables.append([p.id, d.id, Table.number(d.completionPercentage) + "%", d.status, d.lastUpdated ?? "-"])
            }
        }
        print(Table.render(rows))
        if deliverables.count > 1 { print("\n" + Table.render(deliverables)) }
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
        let endpoint = Endpoints.deliverableUpdate
        let body = try connection.send(
            endpoint, ["id": partnership, "deliverable_id": deliverable],
            body: DeliverableUpdateRequest(completionPercentage: completion, status: status))
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let d = try connection.decode(endpoint, body)
        print("\(partnership)/\(d.id): \(Table.number(d.completionPercentage))% \(d.status) (updated \(d.lastUpdated ?? "-"))")
    }
}
