import DevSkyyCore

extension HealthEvent {
    /// The event as both event routes send it; absent fields are left out.
    var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "time": Self.rfc3339(milliseconds: time), "time_ms": Int(time), "kind": kind.rawValue, "entity": entity, "from": from,
            "to": to, "reason": reason,
        ]
        if let id { object["id"] = id }
        if let partnership { object["partnership"] = partnership }
        if let metric { object["metric"] = metric }
        if let value { object["value"] = value }
        return object
    }

    /// One line of JSON: what an event-stream `data:` field carries.
    var jsonLine: [UInt8] { JSONText.render(jsonObject) }

    /// `2023-11-14T22:13:20.123Z`: RFC 3339, UTC, with milliseconds.
    static func rfc3339(milliseconds: Int64) -> String {
        let fraction = (milliseconds % 1_000 + 1_000) % 1_000
        let digits = String(fraction)
        return String(Timestamp.iso8601(milliseconds: milliseconds).dropLast()) + "." + String(repeating: "0", count: 3 - digits.count)
            + digits
            + "Z"
    }
}
