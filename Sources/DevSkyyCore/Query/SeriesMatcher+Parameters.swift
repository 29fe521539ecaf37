extension SeriesMatcher {
    /// The parameters `GET /api/v1/series` understands: an optional `match`; nil selects every series.
    /// - Throws: `QueryError` for an unknown or repeated parameter, or a selector that does not parse.
    public static func listing(parameters: [(name: String, value: String)]) throws(QueryError) -> SeriesMatcher? {
        let match = try QueryParameters.byName(parameters, known: ["match"]).single["match"]
        return try match.map { text throws(QueryError) in try parse(text) }
    }
}
