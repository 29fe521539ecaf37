import ArgumentParser
import DevSkyyCore
import Foundation

/// `devskyyctl events`: the stored health transitions, oldest first.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Health transitions stored in Redis: metric states, partnership labels, collectors up and down."
    )

    // Unconditional: `--since -1h` is a value, not the short options -1 and -h.
    @Option(
        parsing: .unconditional,
        help: "Only events after this: a stream ID (1700000000000-0), unix ms, RFC 3339, or now minus a duration (-1h).")
    var since: String?

    @Option(help: "Most events to show, 1 to 1000 (default 100: the newest, without --since).")
    var limit: Int?

    @OptionGroup var connection: Connection

    func run() throws {
        let body = try connection.get("/api/v1/events" + QueryString.make([("since", since), ("limit", limit.map(String.init))]))
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let events = try JSONObject(body).object("data").array("events")
        if events.isEmpty { return print("no events") }
        var rows = [["ID", "TIME", "KIND", "ENTITY", "FROM", "TO", "VALUE", "REASON"]]
        for event in events {
            rows.append([
                event.string("id"), event.string("time"), event.string("kind"), event.string("entity"), event.string("from"),
                event.string("to"), event.string("value"), event.string("reason"),
            ])
        }
        print(Table.render(rows))
    }
}
