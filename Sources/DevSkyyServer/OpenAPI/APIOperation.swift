import DevSkyyCore

/// One operation of the OpenAPI document: what both `/openapi.json` and `/docs` are rendered from.
struct APIOperation {
    var method: String
    /// In OpenAPI notation: `/api/v1/partnerships/{id}/status`.
    var path: String
    var tag: String
    var parameters: [APIParameter] = []
    var requestBody: APIContent?
    var responses: [APIResponse]

    /// The one-line summary is the endpoint catalog's, so the two never disagree.
    var summary: String {
        EndpointCatalog.all.first { $0.method == method && $0.path == path }?.summary ?? ""
    }

    /// `responses` with the errors any route can answer: a body where none is read (400 `unexpected_body`), a body
    /// over `listen.max_body` (413), and an internal failure (500); each in the error shape.
    var documentedResponses: [APIResponse] {
        var all = responses
        let statuses = Set(responses.map(\.status))
        if requestBody == nil {
            let unexpected = "a body was sent, and this route reads none (unexpected_body)"
            if let index = all.firstIndex(where: { $0.status == "400" }) {
                all[index].description += "; or \(unexpected)"
            } else {
                all.append(.error(400, unexpected.prefix(1).uppercased() + unexpected.dropFirst()))
            }
        }
        if !statuses.contains("413") {
            all.append(.error(413, "The body is over listen.max_body (\(ListenSettings.defaultMaxBodyBytes >> 10) KiB unless configured)"))
        }
        if !statuses.contains("500") { all.append(.error(500, "An internal failure; the answer carries no internal detail")) }
        return all
    }

    var operationID: String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).filter { $0 != "api" && $0 != "v1" }
        return ([method.lowercased()] + words.map(String.init)).joined(separator: "_")
    }
}

/// A path, query or header parameter.
struct APIParameter {
    var name: String
    var location: String
    var required: Bool
    var description: String
    var schema: [String: Any]

    static func path(_ name: String, _ description: String, schema: [String: Any] = ["type": "string"]) -> APIParameter {
        APIParameter(name: name, location: "path", required: true, description: description, schema: schema)
    }

    static func query(_ name: String, _ description: String, required: Bool = false, schema: [String: Any] = ["type": "string"])
        -> APIParameter
    {
        APIParameter(name: name, location: "query", required: required, description: description, schema: schema)
    }

    static func header(_ name: String, _ description: String) -> APIParameter {
        APIParameter(name: name, location: "header", required: false, description: description, schema: ["type": "string"])
    }
}

/// A body in one media type; `schema` nil for a body documented in prose only.
struct APIContent {
    var mediaType: String
    var schema: [String: Any]?

    static func json(_ schema: [String: Any]) -> APIContent { APIContent(mediaType: "application/json", schema: schema) }
}

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
}
