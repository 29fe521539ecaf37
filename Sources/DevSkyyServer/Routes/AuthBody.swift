import DevSkyyCore

/// The JSON object bodies of the auth routes: string fields only, every one required, nothing else allowed.
enum AuthBody {
    /// The fields of `bytes`, read strictly: 400 for malformed JSON, 422 naming a missing, unknown, non-string or
    /// over-long field. Values are never echoed: they are passwords and tokens.
    static func strings(_ bytes: [UInt8], fields: [String: Int]) throws(APIError) -> [String: String] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw .malformedJSON(error)
        }
        guard case .object(let members) = value else { throw .invalidField("body", "must be a JSON object") }
        if let unknown = members.map(\.key).sorted().first(where: { fields[$0] == nil }) {
            throw .invalidField(unknown, "unknown field (known: \(fields.keys.sorted().joined(separator: ", ")))")
        }
        var found: [String: String] = [:]
        for (name, limit) in fields.sorted(by: { $0.key < $1.key }) {
            guard case .string(let text)? = value[name] else { throw .invalidField(name, "must be given as a string") }
            guard !text.isEmpty, text.utf8.count <= limit else { throw .invalidField(name, "must be 1 to \(limit) bytes") }
            found[name] = text
        }
        return found
    }
}
