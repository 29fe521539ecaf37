import DevSkyyCore

/// Reads a pagination cursor (a string or number) out of a JSON page.
enum CursorReader {
    static func value(at path: String, in body: [UInt8]) -> String? {
        guard let parsed = try? JSONPath.parse(path).get(), !parsed.fansOut,
            let document = try? JSONValue.parse(body),
            let value = JSONWalk.resolve(document, parsed.segments)
        else { return nil }
        return JSONWalk.labelText(value)
    }
}
