/// A path into a JSON document: dotted keys, array indexes, `*` over an object or array,
/// and `"quoted"` keys for names holding dots.
///
/// `metrics.system_uptime`, `items.0.value`, `social.*.followers`, `"a.b".c`.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case key(String)
        /// A digit-only segment: an array index, or an object key of those digits.
        case index(Int)
        /// Every member of an object or array; its key or index becomes a label.
        case wildcard
    }

    public var segments: [Segment]
    public var text: String

    public var wildcardCount: Int { segments.filter { $0 == .wildcard }.count }

    public var description: String { text }

    public static func parse(_ text: String) -> Result<JSONPath, JSONPathError> {
        var segments: [Segment] = []
        var index = text.startIndex
        guard !text.isEmpty else { return .failure(.init(reason: "the path is empty")) }
        while index < text.endIndex {
            var raw = ""
            var quoted = false
            if text[index] == "\"" {
                quoted = true
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "\"" {
                    raw.append(text[index])
                    index = text.index(after: index)
                }
                guard index < text.endIndex else {
                    return .failure(.init(reason: "unterminated quote in '\(text)'"))
                }
                index = text.index(after: index)
            } else {
                while index < text.endIndex, text[index] != "." {
                    raw.append(text[index])
                    index = text.index(after: index)
                }
            }
            guard !raw.isEmpty else { return .failure(.init(reason: "empty segment in '\(text)'")) }
            if quoted {
                segments.append(.key(raw))
            } else if raw == "*" {
                segments.append(.wildcard)
            } else if raw.allSatisfy(\.isASCII), raw.allSatisfy(\.isNumber), let n = Int(raw) {
                segments.append(.index(n))
            } else {
                segments.append(.key(raw))
            }
            if index < text.endIndex {
                guard text[index] == "." else {
                    return .failure(.init(reason: "expected '.' after a quoted key in '\(text)'"))
                }
                index = text.index(after: index)
                guard index < text.endIndex else { return .failure(.init(reason: "trailing '.' in '\(text)'")) }
            }
        }
        return .success(JSONPath(segments: segments, text: text))
    }
}

public struct JSONPathError: Error, Sendable, Equatable {
    public var reason: String
}
