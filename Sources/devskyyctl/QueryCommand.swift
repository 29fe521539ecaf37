import ArgumentParser
import DevSkyyCore
import Foundation

/// `devskyyctl query SERIES|MATCH`: history over a time range, one value per step.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The history of a series (or of every series a selector matches), aggregated per step, read from Redis."
    )

    @Argument(help: "A series name (technical.followers,platform=instagram) or a selector ('{partnership=\"technical\"}').")
    var selector: String

    // Unconditional: `--from -1h` is a value, not the short options -1 and -h.
    @Option(parsing: .unconditional, help: "Start: unix seconds or ms, RFC 3339, now, or now minus a duration (-1h, now-30m).")
    var from: String = "-1h"

    @Option(parsing: .unconditional, help: "End, in the same forms.")
    var to: String = "now"

    @Option(help: "Window width: 10s, 5m, 1h, 1d or seconds (default: the smallest step that fits the point budget).")
    var step: String?

    @Option(help: "How a window's values become one: avg, min, max, sum, count, last.")
    var agg: String = "avg"

    @Option(help: "The stored resolution to read: auto, raw, 1m, 1h, 1d.")
    var resolution: String = "auto"

    @Option(name: .customLong("max-points"), help: "Most points per series (default 1000).")
    var maxPoints: Int?

    @OptionGroup var connection: Connection

    func run() throws {
        let selection: SeriesSelection
        do {
            selection = try SeriesSelection.parse(selector)
        } catch {
            throw ValidationError(error.description)
        }
        let chosen: (String, String?) = if case .names = selection { ("series", selector) } else { ("match", selector) }
        let path =
            "/api/v1/query_range"
            + QueryString.make([
                chosen, ("from", from), ("to", to), ("step", step), ("agg", agg), ("resolution", resolution),
                ("max_points", maxPoints.map(String.init)),
            ])
        let body = try connection.get(path, timeout: .seconds(30))
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        let data = try JSONObject(body).object("data")
        let step = Int64(data.string("step_ms")).map { DurationParser.format(.milliseconds($0)) } ?? data.string("step_ms")
        print("resolution: \(data.string("resolution"))   step: \(step)   aggregation: \(data.string("aggregation"))")
        let series = data.value["series"] as? [[String: Any]] ?? []
        if series.isEmpty { print("\nno series matched") }
        for entry in series {
            print("\n\(entry["name"] as? String ?? "-")")
            var rows = [["TIME", "VALUE"]]
            for point in entry["points"] as? [[Any]] ?? [] where point.count == 2 {
                let time = (point[0] as? NSNumber).map { Timestamp.iso8601(milliseconds: $0.int64Value) } ?? "-"
                rows.append([time, JSONObject(value: ["v": point[1]]).string("v")])
            }
            print(rows.count == 1 ? "  (no data in the range)" : Table.render(rows))
        }
    }
}
