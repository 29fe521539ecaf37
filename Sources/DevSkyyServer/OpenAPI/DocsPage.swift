import DevSkyyCore
import Hummingbird

/// `GET /docs`: the OpenAPI document as one HTML page, with inline CSS and no external assets or scripts.
enum DocsPage {
    static let contentType = "text/html; charset=utf-8"

    /// The page, rendered once from the same operations as `/openapi.json`.
    static let body = ByteBuffer(string: render(APIRoutes.all))

    static func render(_ operations: [APIRoute]) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>DevSkyy Collector query API</title>
            <style>\(style)</style></head><body>
            <h1>DevSkyy Collector query API</h1>
            <p>Version \(escape(DevSkyyVersion.string)), OpenAPI \(OpenAPIDocument.version): the machine-readable document is at
            <a href="/openapi.json"><code>/openapi.json</code></a>. Every error uses
            <code>{"status":"error","error":{"code","message","field"?}}</code>. A body over the configured
            <code>listen.max_body</code> (\(ListenSettings.defaultMaxBodyBytes >> 10) KiB by default) gets 413, a body sent to a route that reads none 400, and a
            method a path does not take 405 with <code>Allow</code>.</p>
            <h2>Contents</h2>

            """
        for tag in OpenAPIDocument.tags(operations) {
            html += "<h3>\(escape(tag))</h3><ul class=\"toc\">\n"
            for operation in operations where operation.tag == tag {
                html += "<li><a href=\"#\(operation.operationID)\"><span class=\"method\">\(operation.method.rawValue)</span> "
                html += "<code>\(escape(operation.path))</code></a> \(escape(operation.summary))</li>\n"
            }
            html += "</ul>\n"
        }
        html += "<h2>Endpoints</h2>\n"
        for operation in operations { html += section(operation) }
        html += "<h2>Schemas</h2>\n"
        for (name, schema) in OpenAPISchemas.all.sorted(by: { $0.key < $1.key }) {
            html += "<section id=\"schema-\(name)\"><h3>\(name)</h3>\(describe(schema))</section>\n"
        }
        return html + "</body></html>\n"
    }

    private static func section(_ operation: APIRoute) -> String {
        var html = "<section id=\"\(operation.operationID)\"><h3><span class=\"method\">\(operation.method.rawValue)</span> "
        html += "<code>\(escape(operation.path))</code></h3>\n<p>\(escape(operation.summary))</p>\n"
        if !operation.parameters.isEmpty {
            html += "<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Description</th></tr>\n"
            for parameter in operation.parameters {
                html += "<tr><td><code>\(escape(parameter.name))</code></td><td>\(parameter.location)</td>"
                html += "<td>\(type(parameter.schema))</td><td>\(parameter.required ? "yes" : "no")</td>"
                html += "<td>\(escape(parameter.description))</td></tr>\n"
            }
            html += "</table>\n"
        }
        if let body = operation.requestBody {
            html += "<h4>Request body</h4><p><code>\(escape(body.mediaType))</code>: \(body.schema.map(type) ?? "")</p>\n"
        }
        html += "<h4>Responses</h4><table><tr><th>Status</th><th>Description</th><th>Body</th></tr>\n"
        for response in operation.documentedResponses {
            let body = response.content.map { "<code>\(escape($0.mediaType))</code> \($0.schema.map(type) ?? "")" } ?? "none"
            html += "<tr><td>\(response.status)</td><td>\(escape(response.description))</td><td>\(body)</td></tr>\n"
        }
        return html + "</table></section>\n"
    }

    /// An object schema's fields as a table; anything else as its type.
    private static func describe(_ schema: [String: Any]) -> String {
        var html = ""
        if let description = schema["description"] as? String { html += "<p>\(escape(description))</p>" }
        guard let properties = schema["properties"] as? [String: [String: Any]] else { return html + "<p>\(type(schema))</p>" }
        let required = schema["required"] as? [String] ?? []
        html += "<table><tr><th>Field</th><th>Type</th><th>Always present</th></tr>\n"
        for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
            html +=
                "<tr><td><code>\(escape(name))</code></td><td>\(type(property))</td><td>\(required.contains(name) ? "yes" : "no")</td></tr>\n"
        }
        return html + "</table>"
    }

    /// A one-line type: a link to a shared schema, `array of …`, an object's field names, or the JSON type.
    static func type(_ schema: [String: Any]) -> String {
        if let ref = schema["$ref"] as? String {
            let name = ref.split(separator: "/").last.map(String.init) ?? ref
            return "<a href=\"#schema-\(name)\">\(name)</a>"
        }
        if let parts = schema["allOf"] as? [[String: Any]] { return parts.map(type).joined(separator: " + ") }
        var text: String
        switch schema["type"] {
        case let name as String: text = name
        case let names as [String]: text = names.joined(separator: " or ")
        default: text = "any"
        }
        if text == "array", let items = schema["items"] as? [String: Any] { text = "array of " + type(items) }
        if let properties = schema["properties"] as? [String: Any], !properties.isEmpty {
            text += " {" + properties.keys.sorted().map { "<code>\(escape($0))</code>" }.joined(separator: ", ") + "}"
        }
        if let values = schema["enum"] as? [String] { text += ": " + values.map(escape).joined(separator: " | ") }
        if let low = schema["minimum"] as? Int, let high = schema["maximum"] as? Int { text += " (\(low)–\(high))" }
        return text
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    private static let style = """
        body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
        h1,h2{border-bottom:1px solid #d8dce4}section{margin:1.5rem 0;padding:.5rem 1rem;border:1px solid #d8dce4;border-radius:6px}
        table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;
        border-bottom:1px solid #eceef2}code{font:13px ui-monospace,monospace;background:#f3f4f7;padding:0 .2rem}
        .method{font:bold 12px ui-monospace,monospace;background:#2d5be3;color:#fff;padding:.1rem .4rem;border-radius:3px}
        ul.toc{list-style:none;padding-left:0}a{color:#2d5be3}
        """
}
