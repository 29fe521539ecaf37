extension RangeQuery {
    /// The parameters `GET /api/v1/query_range` understands.
    public static let parameterNames = ["series", "match", "from", "to", "step", "agg", "resolution", "max_points"]

    /// Builds a query from request parameters, in the order given; `series` may repeat, the others may not.
    /// - Throws: `QueryError` naming the first parameter that is missing, repeated, unknown or invalid.
    public init(parameters: [(name: String, value: String)]) throws(QueryError) {
        let (single, names) = try QueryParameters.byName(parameters, known: Self.parameterNames, repeatable: "series")

        let selection: SeriesSelection
        // An empty `match` is no selector (forms and generated clients send empty fields).
        switch (names.isEmpty, single["match"].flatMap { $0.isEmpty ? nil : $0 }) {
        case (false, nil):
            // Checked here, where the parameter is known: the reader's own check speaks of what a selector selects.
            guard names.count <= Self.maxSeries else {
                throw .tooLarge("series", "names \(names.count) series, more than \(Self.maxSeries): ask for fewer at a time")
            }
            selection = .named(names)
        case (true, let match?): selection = .matcher(try SeriesMatcher.parse(match))
        case (false, _?): throw .invalid("match", "give either series or match, not both")
        case (true, nil): throw .invalid("series", "series (a series name, may repeat) or match (a selector) is required")
        }

        guard let fromText = single["from"] else { throw .invalid("from", "is required: unix seconds or ms, RFC 3339, now or -1h") }
        let from = try Self.time(fromText, "from")
        let to = try single["to"].map { text throws(QueryError) in try Self.time(text, "to") } ?? .now
        let step = try single["step"].map { text throws(QueryError) in try Self.step(text) }
        var aggregation = Aggregation.avg
        if let text = single["agg"] {
            guard let parsed = Aggregation(rawValue: text) else {
                throw .invalid("agg", "unknown aggregation \(LabelMatcher.quoted(text)) (known: avg, min, max, sum, count, last)")
            }
            aggregation = parsed
        }
        var resolution = ResolutionRequest.auto
        if let text = single["resolution"] {
            guard let parsed = ResolutionRequest.parse(text) else {
                throw .invalid("resolution", "unknown resolution \(LabelMatcher.quoted(text)) (known: auto, raw, 1m, 1h, 1d)")
            }
            resolution = parsed
        }
        var maxPoints = Self.defaultMaxPoints
        if let text = single["max_points"] {
            guard let parsed = Int(text), Self.maxPointsRange.contains(parsed) else {
                throw .invalid(
                    "max_points",
                    "must be a whole number from \(Self.maxPointsRange.lowerBound) to \(Self.maxPointsRange.upperBound), "
                        + "not \(LabelMatcher.quoted(text))")
            }
            maxPoints = parsed
        }
        self.init(
            selection: selection, from: from, to: to, step: step, aggregation: aggregation, resolution: resolution, maxPoints: maxPoints)
    }

    private static func time(_ text: String, _ parameter: String) throws(QueryError) -> QueryTime {
        guard let time = QueryTime.parse(text) else {
            throw .invalid(
                parameter,
                "\(LabelMatcher.quoted(text)) is not a time: use unix seconds (1700000000), unix ms (1700000000000), "
                    + "RFC 3339 (2025-10-25T10:30:00Z), now, or now minus a duration (-1h, now-30m)"
            )
        }
        return time
    }

    /// A duration (`30s`, `5m`, `1h`) or a number of seconds (`60`, `0.5`), in ms.
    static func step(_ text: String) throws(QueryError) -> Int64 {
        let ms: Int64?
        if let duration = DurationParser.parse(text) {
            ms = duration.milliseconds
        } else if let seconds = Double(text), seconds < 1e12, text.allSatisfy({ $0.isNumber || $0 == "." }) {
            ms = Checked.int64((seconds * 1_000).rounded())
        } else {
            ms = nil
        }
        guard let ms, ms >= 1 else {
            throw .invalid("step", "\(LabelMatcher.quoted(text)) is not a positive duration: use 10s, 5m, 1h, 1d or seconds (60)")
        }
        return ms
    }
}
