import DevSkyyCore

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
