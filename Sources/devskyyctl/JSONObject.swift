import ArgumentParser
import DevSkyyCore
import Foundation

/// Lenient access to the daemon's JSON for table output: a missing field reads as "-".
struct JSONObject {
    let value: [String: Any]

    init(_ data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DaemonAnswer("the daemon's answer is not a JSON object")
        }
        value = object
    }

    init(value: [String: Any]) {
        self.value = value
    }

    static func list(_ data: Data) throws -> [JSONObject] {
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw DaemonAnswer("the daemon's answer is not a JSON list")
        }
        return array.map { JSONObject(value: $0) }
    }

    var keys: [String] { value.keys.sorted() }

    func has(_ key: String) -> Bool { value[key] != nil && !(value[key] is NSNull) }

    func object(_ key: String) -> JSONObject { JSONObject(value: value[key] as? [String: Any] ?? [:]) }

    func array(_ key: String) -> [JSONObject] { (value[key] as? [[String: Any]] ?? []).map { JSONObject(value: $0) } }

    /// A `{reason: count}` object as `reason=count ...`, or "-".
    func counts(_ key: String) -> String {
        let object = self.object(key)
        let pairs = object.keys.map { "\($0)=\(object.string($0))" }
        return pairs.isEmpty ? "-" : pairs.joined(separator: " ")
    }

    func string(_ key: String) -> String {
        switch value[key] {
        case let text as String: return text
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return "\(number)"
        default: return "-"
        }
    }
}

/// Left-aligned columns separated by two spaces.
enum Table {
    /// A number as JSON shows it: `60` for a whole one, `33.33` otherwise.
    static func number(_ value: Double) -> String {
        if let whole = Checked.int64(value), Double(whole) == value { return String(whole) }
        return String(value)
    }

    /// `{reason: count}` as `reason=count ...` in the order of the reasons, or "-".
    static func counts(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "-" : counts.keys.sorted().map { "\($0)=\(counts[$0] ?? 0)" }.joined(separator: " ")
    }

    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
