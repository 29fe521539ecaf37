import DevSkyyCore

/// One status an operation answers with.
struct APIResponse {
    var status: String
    var description: String
    var content: APIContent?
    /// Header names, each described by a `#/components/headers` entry.
    var headers: [String] = []

    static func ok(_ description: String, _ content: APIContent, headers: [String] = []) -> APIResponse {
        APIResponse(status: "200", description: description, content: content, headers: headers)
    }

    /// 200 with `ETag` and `Cache-Control`, and the 304 an `If-None-Match` naming the tag gets.
    static func cached(_ description: String, _ schema: [String: Any]) -> [APIResponse] {
        [
            APIResponse(status: "200", description: description, content: .json(schema), headers: ["ETag", "Cache-Control"]),
            APIResponse(
                status: "304", description: "Not modified: If-None-Match named the current ETag; no body",
                headers: ["ETag", "Cache-Control"]),
        ]
    }

    /// An error in the API's `{"status":"error","error":{…}}` shape.
    static func error(_ status: Int, _ description: String) -> APIResponse {
        APIResponse(status: String(status), description: description, content: .json(OpenAPISchemas.ref("Error")))
    }

    /// An error of the OAuth token endpoint in RFC 6749 §5.2's `{"error", "error_description"}` shape.
    static func oauthError(_ status: Int, _ description: String, headers: [String] = []) -> APIResponse {
        APIResponse(
            status: String(status), description: description, content: .json(OpenAPISchemas.ref("OAuthError")), headers: headers)
    }
}
