import DevSkyyCore

/// A body in one media type; `schema` nil for a body documented in prose only.
// @unchecked: the schemas are JSON values (strings, numbers, Booleans, arrays and dictionaries of them) built once
// from literals and never mutated after; no reference type is ever stored in them.
struct APIContent: @unchecked Sendable {
    var mediaType: String
    var schema: [String: Any]?

    static func json(_ schema: [String: Any]) -> APIContent { APIContent(mediaType: "application/json", schema: schema) }
}
