import DevSkyyCore
import Foundation

/// One value a path matched.
struct JSONMatch {
    /// The key or index picked by each `*` or filter of the path, in order.
    var trail: [String]
    /// The element the last `*` or filter matched (the document root when there is none): label paths start here.
    var anchor: Any
    var value: Any
}

/// Following parsed paths through a `JSONSerialization` document, and reading its scalars.
enum JSONWalk {
    /// Follows the path; each `*` or filter fans out and records the key or index it matched.
    static func walk(
        _ node: Any, _ rest: ArraySlice<JSONPath.Segment>, anchor: Any, trail: [String], into matches: inout [JSONMatch]
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
            if let array = node as? [Any] {
                for (index, element) in array.enumerated() where filter.map({ passes(element, $0) }) ?? true {
                    walk(element, next, anchor: element, trail: trail + [String(index)], into: &matches)
                }
            } else if let object = node as? [String: Any] {
                for key in object.keys.sorted() {
                    let element = object[key]!
                    guard filter.map({ passes(element, $0) }) ?? true else { continue }
                    walk(element, next, anchor: element, trail: trail + [key], into: &matches)
                }
            }
        }
    }

    /// The value at a path of keys and indexes, or nil.
    static func resolve(_ node: Any, _ segments: [JSONPath.Segment]) -> Any? {
        var node = node
        for segment in segments {
            guard let child = step(node, segment) else { return nil }
            node = child
        }
        return node
    }

    private static func step(_ node: Any, _ segment: JSONPath.Segment) -> Any? {
        switch segment {
        case .key(let key):
            return (node as? [String: Any])?[key]
        case .index(let index):
            if let array = node as? [Any] { return array.indices.contains(index) ? array[index] : nil }
            return (node as? [String: Any])?[String(index)]
        case .wildcard, .filter:
            return nil
        }
    }

    /// Compares only within one JSON type; `!=` holds exactly where `==` does not (a missing field included).
    static func passes(_ element: Any, _ filter: JSONPath.Filter) -> Bool {
        let field = resolve(element, filter.field)
        let equal: Bool
        switch filter.value {
        case .string(let expected):
            equal = (field as? String) == expected
        case .number(let expected):
            if let number = field as? NSNumber, !isBool(number) { equal = number.doubleValue == expected } else { equal = false }
        case .bool(let expected):
            if let number = field as? NSNumber, isBool(number) { equal = number.boolValue == expected } else { equal = false }
        }
        return filter.op == .equal ? equal : !equal
    }

    /// Numbers as they are, booleans as 1 or 0, numeric strings parsed.
    static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber {
            if isBool(number) { return number.boolValue ? 1 : 0 }
            let double = number.doubleValue
            return double.isFinite ? double : nil
        }
        if let text = value as? String, let double = Double(text.trimmingCharacters(in: .whitespaces)), double.isFinite {
            return double
        }
        return nil
    }

    /// A label value: strings as they are, numbers in their shortest form, booleans as `true`/`false`.
    static func labelText(_ value: Any) -> String? {
        if let text = value as? String { return text }
        guard let number = value as? NSNumber else { return nil }
        if isBool(number) { return number.boolValue ? "true" : "false" }
        // Integers keep every digit: ids past 2^53 would not survive a Double.
        if isInteger(number) { return number.stringValue }
        let double = number.doubleValue
        return double.isFinite ? double.compactText : nil
    }

    /// Foundation bridges JSON true/false to NSNumber too; a boolean's type encoding is "c".
    private static func isBool(_ number: NSNumber) -> Bool { number.objCType.pointee == CChar(UInt8(ascii: "c")) }

    private static func isInteger(_ number: NSNumber) -> Bool {
        "qQlLiIsS".utf8.contains(UInt8(bitPattern: number.objCType.pointee))
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
