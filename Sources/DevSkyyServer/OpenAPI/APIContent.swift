import DevSkyyCore

/// A body in one media type; `schema` nil for a body documented in prose only.
struct APIContent {
    var mediaType: String
    var schema: [String: Any]?

    static func json(_ schema: [String: Any]) -> APIContent { APIContent(mediaType: "application/json", schema: schema) }
}
