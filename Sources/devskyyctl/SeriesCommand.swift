import ArgumentParser
import DevSkyyCore
import Foundation

/// `devskyyctl series [MATCH]`: the series stored in Redis, with their parts.
struct SeriesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "The series stored in Redis (all, or those a selector matches) with partnership, metric and labels."
    )

    @Argument(help: "A selector: '{partnership=\"technical\",metric=~\"foll.*\"}' or partnership=technical,platform=instagram.")
    var match: String?

    @OptionGroup var connection: Connection

    func validate() throws {
        if let match {
            do {
                _ = try SeriesMatcher.parse(match)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    func run() throws {
        let body = try connection.get("/api/v1/series" + QueryString.make([("match", match)]))
        if connection.json { return print(String(decoding: body, as: UTF8.self)) }
        var rows = [["SERIES", "PARTNERSHIP", "METRIC", "LABELS"]]
        for series in try JSONObject(body).array("data") {
            rows.append([series.string("name"), series.string("partnership"), series.string("metric"), series.counts("labels")])
        }
        print(Table.render(rows))
    }
}
