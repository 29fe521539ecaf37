import DevSkyyCore

extension HealthEvent {
    /// The entry's fields in `{prefix}:events`, in a fixed order, absent ones left out (documented in the README).
    var streamFields: [String] {
        var fields = ["time", String(time), "kind", kind.rawValue, "entity", entity]
        if let partnership { fields += ["partnership", partnership] }
        if let metric { fields += ["metric", metric] }
        fields += ["from", from, "to", to]
        if let value { fields += ["value", value.compactText] }
        fields += ["reason", reason]
        return fields
    }

    /// Reads an XRANGE entry `[id, [field, value, …]]`; nil when it is not a health event (unknown kind, no time).
    init?(streamEntry: RedisReply) {
        guard let parts = streamEntry.array, parts.count == 2, let id = parts[0].string, let flat = parts[1].array else { return nil }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let name = flat[index].string, let value = flat[index + 1].string { fields[name] = value }
        }
        guard let time = fields["time"].flatMap({ Int64($0) }), let kind = fields["kind"].flatMap(Kind.init(rawValue:)) else {
            return nil
        }
        self.init(
            time: time, kind: kind, entity: fields["entity"] ?? "", partnership: fields["partnership"], metric: fields["metric"],
            from: fields["from"] ?? "", to: fields["to"] ?? "", value: fields["value"].flatMap { Double($0) },
            reason: fields["reason"] ?? "", id: id
        )
    }
}
