import DevSkyyCore

/// The OpenAPI 3.1 document of the query API, served at `/openapi.json`, rendered once.
enum OpenAPIDocument {
    static let version = "3.1.0"

    /// The encoded document and its tag, built on first use and kept for the process's life.
    static let body = TaggedBody(JSONText.render(object(APIRoutes.all)), kind: "openapi")

    static func object(_ operations: [APIRoute]) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = self.operation(operation)
        }
        return [
            "openapi": version,
            "info": [
                "title": "DevSkyy Collector query API",
                "version": DevSkyyVersion.string,
                "description": "Served identically on the Unix socket and on TCP. Every error has one JSON shape, "
                    + "{\"status\":\"error\",\"error\":{\"code\",\"message\",\"field\"?}}. Any route refuses a body over the "
                    + "configured listen.max_body (\(ListenSettings.defaultMaxBodyBytes >> 10) KiB by default) with 413, and a body sent to a route that reads none with 400 "
                    + "unexpected_body. A method a path does not take is answered 405 with Allow; an unknown path 404. Times are "
                    + "ISO 8601 UTC. CORS headers are sent only for the origins listen.cors_allowed_origins lists.",
            ] as [String: Any],
            "servers": [["url": "/"]],
            "tags": tags(operations).map { ["name": $0] },
            "paths": paths,
            "components": [
                "schemas": OpenAPISchemas.all,
                "headers": [
                    "ETag": ["description": "Strong tag of the body; send it in If-None-Match for a 304", "schema": ["type": "string"]],
                    "Cache-Control": ["description": "How long the answer may be reused", "schema": ["type": "string"]],
                ] as [String: Any],
            ] as [String: Any],
        ]
    }

    static func tags(_ operations: [APIRoute]) -> [String] {
        var seen: [String] = []
        for operation in operations where !seen.contains(operation.tag) { seen.append(operation.tag) }
        return seen
    }

    private static func operation(_ operation: APIRoute) -> [String: Any] {
        var object: [String: Any] = [
            "summary": operation.summary, "operationId": operation.operationID, "tags": [operation.tag],
            "responses": Dictionary(
                operation.documentedResponses.map { ($0.status, response($0)) }, uniquingKeysWith: { first, _ in first }),
        ]
        if !operation.parameters.isEmpty {
            object["parameters"] = operation.parameters.map { parameter -> [String: Any] in
                var entry: [String: Any] = [
                    "name": parameter.name, "in": parameter.location, "required": parameter.required,
                    "description": parameter.description, "schema": parameter.schema,
                ]
                if parameter.schema["type"] as? String == "array" { entry["explode"] = true }
                return entry
            }
        }
        if let body = operation.requestBody {
            object["requestBody"] = ["required": true, "content": content(body)] as [String: Any]
        }
        return object
    }

    private static func response(_ response: APIResponse) -> [String: Any] {
        var object: [String: Any] = ["description": response.description]
        if let content = response.content { object["content"] = self.content(content) }
        if !response.headers.isEmpty {
            object["headers"] = Dictionary(
                response.headers.map { ($0, ["$ref": "#/components/headers/\($0)"]) }, uniquingKeysWith: { first, _ in first })
        }
        return object
    }

    private static func content(_ content: APIContent) -> [String: Any] {
        [content.mediaType: content.schema.map { ["schema": $0] } ?? [:]]
    }
}
