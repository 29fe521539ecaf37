/// Request query parameters checked against what a route understands.
public enum QueryParameters {
    /// The parameters by name, in the order given; an unknown name, or a name given twice (except `repeatable`,
    /// whose values are collected in order and may not be empty), is an error naming it.
    public static func byName(
        _ parameters: [(name: String, value: String)], known: [String], repeatable: String? = nil
    ) throws(QueryError) -> (single: [String: String], repeated: [String]) {
        var single: [String: String] = [:]
        var repeated: [String] = []
        for (name, value) in parameters {
            guard known.contains(name) else { throw .invalid(name, "unknown parameter (known: \(known.joined(separator: ", ")))") }
            if name == repeatable {
                guard !value.isEmpty else { throw .invalid(name, "is empty") }
                repeated.append(value)
            } else {
                guard single.updateValue(value, forKey: name) == nil else { throw .invalid(name, "is given more than once") }
            }
        }
        return (single, repeated)
    }
}
