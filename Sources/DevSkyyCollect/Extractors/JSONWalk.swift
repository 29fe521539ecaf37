import DevSkyyCore
import Foundation

/// One value a path matched.
struct JSONMatch {
    /// The key or index picked by each `*` or filter of the path, in order.
    var trail: [String]
    /// The element the last `*` or filter matched (the document root when there is none): label paths start here.
    var anchor: JSONValue
    var value: JSONValue
}

/// Following parsed paths through a parsed document, and reading its scalars.
enum JSONWalk {
    /// Follows the path; each `*` or filter fans out and records the key or index it matched.
    static func walk(
        _ node: JSONValue, _ rest: ArraySlice<JSONPath.Segment>, anchor: JSONValue, trail: [String], into matches: inout [JSONMatch]
    ) {
        guard let segment = rest.first else {
            matches.append(JSONMatch(trail: trail, anchor: anchor, value: node))
            return
        }
        let next = rest.dropFirst()
        switch segment {
        case .key, .index:
            if let child = step(node, segment) { walk(child, next, anchor: anchor, trail: trail, into: &matches) }
        case .wildcard, .filter:
            let filter: JSONPath.Filter? = if case .filter(let filter) = segment { filter } else { nil }
            switch node {
            case .array(let array):
                for (index, element) in array.enumerated() where filter.map({ passes(element, $0) }) ?? true {
                    walk(element, next, anchor: element, trail: trail + [String(index)], into: &matches)
                }
            case .object(let members):
                // Keys in sorted order (a key given twice counts once, with its last value), as before.
                var seen: [String: JSONValue] = [:]
                for member in members { seen[member.key] = member.value }
                for key in seen.keys.sorted() {
                    let element = seen[key]!
                    guard filter.map({ passes(element, $0) }) ?? true else { continue }
                    walk(element, next, anchor: element, trail: trail + [key], into: &matches)
                }
            default:
                break
            }
        }
    }

    /// The value at a path of keys and indexes, or nil.
    static func resolve(_ node: JSONValue, _ segments: [JSONPath.Segment]) -> JSONValue? {
        var node = node
        for segment in segments {
            guard let child = step(node, segment) else { return nil }
            node = child
        }
        return node
    }

    private static func step(_ node: JSONValue, _ segment: JSONPath.Segment) -> JSONValue? {
        switch segment {
        case .key(let key):
            return node[key]
        case .index(let index):
            if case .array(let array) = node { return array.indices.contains(index) ? array[index] : nil }
            return node[String(index)]
        case .wildcard, .filter:
            return nil
        }
    }

    /// Compares only within one JSON type; `!=` holds exactly where `==` does not (a missing field included).
    static func passes(_ element: JSONValue, _ filter: JSONPath.Filter) -> Bool {
        let field = resolve(element, filter.field)
        let equal: Bool
        switch (filter.value, field) {
        case (.string(let expected), .string(let text)?): equal = text == expected
        case (.number(let expected), .number(let number, _)?): equal = number == expected
        case (.bool(let expected), .bool(let flag)?): equal = flag == expected
        default: equal = false
        }
        return filter.op == .equal ? equal : !equal
    }

    /// Numbers as they are, booleans as 1 or 0, numeric strings parsed.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number, _): return number.isFinite ? number : nil
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            guard let double = Double(text.trimmingCharacters(in: .whitespaces)), double.isFinite else { return nil }
            return double
        default: return nil
        }
    }

    /// A label value: strings as they are, numbers in their shortest form, booleans as `true`/`false`.
    static func labelText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        // Integers keep every digit: ids past 2^53 would not survive a Double.
        case .number(_, let integer?): return String(integer)
        case .number(let number, nil): return number.isFinite ? number.compactText : nil
        default: return nil
        }
    }

    /// The path with each `*` and filter replaced by what it matched: `items.3.likes`.
    static func location(_ path: JSONPath, _ trail: [String]) -> String {
        guard !trail.isEmpty else { return path.text }
        var picks = trail.makeIterator()
        return path.segments.map { segment -> String in
            switch segment {
            case .key(let key): return quotedIfNeeded(key)
            case .index(let index): return String(index)
            case .wildcard, .filter: return quotedIfNeeded(picks.next() ?? "*")
            }
        }.joined(separator: ".")
    }

    private static func quotedIfNeeded(_ key: String) -> String {
        guard key.contains(where: { ".[]\"\\".contains($0) }) || key == "*" else { return key }
        return "\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
