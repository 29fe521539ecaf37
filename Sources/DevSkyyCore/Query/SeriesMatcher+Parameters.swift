extension SeriesMatcher {
    /// The parameters `GET /api/v1/series` understands: an optional `match`; nil selects every series.
    /// - Throws: `QueryError` for an unknown or repeated parameter, or a selector that does not parse.
    public static func listing(parameters: [(name: String, value: String)]) throws(QueryError) -> SeriesMatcher? {
        var match: String?
        for (name, value) in parameters {
            guard name == "match" else { throw .invalid(name, "unknown parameter (known: match)") }
            guard match == nil else { throw .invalid("match", "is given more than once") }
            match = value
        }
        return try match.map { text throws(QueryError) in try parse(text) }
    }
}
