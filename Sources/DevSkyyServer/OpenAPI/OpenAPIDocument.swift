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
                    + "ISO 8601 UTC. CORS headers are sent only for the origins listen.cors_allowed_origins lists. "
                    + "With an auth: section every TCP route needs a bearer token or an X-API-Key holding the permission "
                    + "its security names (401 without, 403 without the permission), but for auth.anonymous; on the Unix "
                    + "socket the file mode is the credential unless auth.unix_socket is token. A Host not in "
                    + "listen.allowed_hosts is answered 421.",
            ] as [String: Any],
            "servers": [["url": "/"]],
            "tags": tags(operations).map { ["name": $0] },
            "paths": paths,
            "components": [
                "schemas": OpenAPISchemas.all,
                // The permission each operation needs is listed as the bearer scheme's scope (`security` per operation).
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                        "description": "An access token from POST /api/v1/auth/login (or /refresh), or /api/v1/auth/token for a client",
                    ],
                    "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key", "description": "A key from auth.api_keys"],
                ] as [String: Any],
                "headers": [
                    "ETag": ["description": "Strong tag of the body; send it in If-None-Match for a 304", "schema": ["type": "string"]],
                    "Cache-Control": ["description": "How long the answer may be reused", "schema": ["type": "string"]],
                    "Pragma": ["description": "no-cache, for HTTP/1.0 caches (RFC 6749 §5.1)", "schema": ["type": "string"]],
                    "WWW-Authenticate": ["description": "The authentication scheme to use", "schema": ["type": "string"]],
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
        object["security"] = security(operation)
        if let body = operation.requestBody {
            object["requestBody"] = ["required": true, "content": content(body)] as [String: Any]
        }
        return object
    }

    /// The credentials an operation takes on TCP, from its permission (the table the access layer enforces). Routes
    /// that check what they are sent themselves take none; `auth.anonymous` (by default `/metrics` and the health
    /// route) opens more, and the Unix socket needs none unless `auth.unix_socket: token`: the description says so.
    private static func security(_ operation: APIRoute) -> [[String: [String]]] {
        if operation.permission == .anyone { return [] }
        var options: [[String: [String]]] = [["bearer": [operation.permission.rawValue]], ["apiKey": []]]
        if AnonymousRoute.defaults.contains(where: { $0.matches(method: operation.method.rawValue, path: operation.path) }) {
            options.append([:])
        }
        return options
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
