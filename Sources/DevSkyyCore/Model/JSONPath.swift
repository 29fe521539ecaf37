/// A path into a JSON document: dotted keys, array indexes, `*` over an object or array, filters
/// over an array's elements, and `"quoted"` keys for names holding dots, slashes, spaces or brackets.
///
/// `metrics.system_uptime`, `items.0.value` (or `items[0].value`), `social.*.followers`, `"a.b".c`,
/// `items[?platform=="instagram"].followers`, `posts[?meta.kind!="story"].likes`, `[?rank==1].score`.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case key(String)
        /// A digit-only segment: an array index, or an object key of those digits.
        case index(Int)
        /// Every member of an object or array; its key or index becomes a label.
        case wildcard
        /// The elements of an array (or member values of an object) that pass the filter.
        case filter(Filter)

        /// Whether the segment can match more than one value.
        public var fansOut: Bool {
            switch self {
            case .wildcard, .filter: true
            case .key, .index: false
            }
        }
    }

    /// `[?field==value]` or `[?field!=value]`; `!=` selects exactly what `==` does not.
    public struct Filter: Sendable, Equatable {
        public enum Operator: String, Sendable {
            case equal = "=="
            case notEqual = "!="
        }

        /// A filter compares only with its own JSON type: `"1"` never equals `1`.
        public enum Literal: Sendable, Equatable {
            case string(String)
            case number(Double)
            case bool(Bool)
        }

        /// Keys and indexes leading from the element to the compared field.
        public var field: [Segment]
        public var op: Operator
        public var value: Literal

        public init(field: [Segment], op: Operator, value: Literal) {
            self.field = field
            self.op = op
            self.value = value
        }
    }

    public var segments: [Segment]
    public var text: String

    public init(segments: [Segment], text: String) {
        self.segments = segments
        self.text = text
    }

    /// The number of `*` segments: one key label each.
    public var wildcardCount: Int { segments.filter { $0 == .wildcard }.count }

    /// Whether the path can match more than one value (it holds a `*` or a filter).
    public var fansOut: Bool { segments.contains(where: \.fansOut) }

    public var description: String { text }

    public static func parse(_ text: String) -> Result<JSONPath, JSONPathError> {
        var parser = JSONPathParser(text)
        do {
            return .success(JSONPath(segments: try parser.path(), text: text))
        } catch {
            return .failure(error)
        }
    }
}

public struct JSONPathError: Error, Sendable, Equatable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// The path grammar: `segment ('.' segment)*`, a segment being a bare or `"quoted"` key followed by
/// any `[N]` or `[?filter]` brackets, or brackets alone.
private struct JSONPathParser {
    private let text: String
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func failure(_ what: String, at column: Int? = nil) -> JSONPathError {
        JSONPathError(reason: "\(what) at column \((column ?? position) + 1) of '\(text)'")
    }

    mutating func path() throws(JSONPathError) -> [JSONPath.Segment] {
        guard !scalars.isEmpty else { throw JSONPathError(reason: "the path is empty") }
        var segments: [JSONPath.Segment] = []
        while true {
            try segment(into: &segments)
            guard let next = current else { return segments }
            guard next == "." else { throw failure("expected '.' or '[' but found '\(next)'") }
            position += 1
            guard position < scalars.count else { throw failure("trailing '.'", at: position - 1) }
        }
    }

    private mutating func segment(into segments: inout [JSONPath.Segment]) throws(JSONPathError) {
        switch current {
        case "\""?:
            segments.append(try quotedKey())
        case "["?:
            break
        case "."?, nil:
            throw failure("empty segment")
        default:
            let raw = try bare(stoppingAt: ".[")
            segments.append(raw == "*" ? .wildcard : Self.keyOrIndex(raw))
        }
        while current == "[" { segments.append(try bracket()) }
    }

    private static func keyOrIndex(_ raw: String) -> JSONPath.Segment {
        if raw.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let index = Int(raw) { return .index(index) }
        return .key(raw)
    }

    /// A run of scalars up to one of `stops`; brackets and quotes inside a bare key must be quoted.
    private mutating func bare(stoppingAt stops: String) throws(JSONPathError) -> String {
        var raw = String.UnicodeScalarView()
        while let scalar = current, !stops.unicodeScalars.contains(scalar) {
            if scalar == "\"" || scalar == "[" || scalar == "]" {
                throw failure("unexpected '\(scalar)' inside a key (quote the whole key)")
            }
            raw.append(scalar)
            position += 1
        }
        return String(raw)
    }

    private mutating func quotedKey() throws(JSONPathError) -> JSONPath.Segment {
        let start = position
        let key = try quoted()
        guard !key.isEmpty else { throw failure("empty quoted key", at: start) }
        return .key(key)
    }

    /// A `"..."` text; `\"` is a quote and `\\` a backslash.
    private mutating func quoted() throws(JSONPathError) -> String {
        let start = position
        position += 1
        var raw = String.UnicodeScalarView()
        while let scalar = current {
            position += 1
            switch scalar {
            case "\"":
                return String(raw)
            case "\\":
                guard let escaped = current else { break }
                guard escaped == "\"" || escaped == "\\" else {
                    throw failure("unknown escape '\\\(escaped)' (only \\\" and \\\\)", at: position - 1)
                }
                raw.append(escaped)
                position += 1
            default:
                raw.append(scalar)
            }
        }
        throw failure("unterminated quote", at: start)
    }

    /// `[N]` or `[?field op value]`.
    private mutating func bracket() throws(JSONPathError) -> JSONPath.Segment {
        let start = position
        position += 1
        if current == "?" {
            position += 1
            return .filter(try filter(openedAt: start))
        }
        var digits = ""
        while let scalar = current, ("0"..."9").contains(scalar) {
            digits.unicodeScalars.append(scalar)
            position += 1
        }
        guard current == "]" else {
            if current == nil { throw failure("unterminated '['", at: start) }
            throw failure("expected an index or a filter '[?...]' inside brackets", at: start)
        }
        guard let index = Int(digits) else {
            throw failure(digits.isEmpty ? "empty brackets" : "index \(digits) is too large", at: start)
        }
        position += 1
        return .index(index)
    }

    private mutating func filter(openedAt start: Int) throws(JSONPathError) -> JSONPath.Filter {
        skipSpaces()
        var field: [JSONPath.Segment] = []
        while true {
            if current == "\"" {
                field.append(try quotedKey())
            } else {
                let raw = try bare(stoppingAt: ".=!<> ]")
                guard !raw.isEmpty else {
                    if current == nil { throw failure("unterminated filter", at: start) }
                    throw failure(field.isEmpty ? "the filter has no field" : "empty segment in the filter field")
                }
                guard raw != "*" else { throw failure("'*' inside a filter field", at: position - 1) }
                field.append(Self.keyOrIndex(raw))
            }
            guard current == "." else { break }
            position += 1
        }
        skipSpaces()
        let op = try filterOperator(openedAt: start)
        skipSpaces()
        let value = try literal(openedAt: start)
        skipSpaces()
        guard current == "]" else {
            if current == nil { throw failure("unterminated filter", at: start) }
            throw failure("expected ']' to close the filter")
        }
        position += 1
        return JSONPath.Filter(field: field, op: op, value: value)
    }

    private mutating func filterOperator(openedAt start: Int) throws(JSONPathError) -> JSONPath.Filter.Operator {
        let operatorStart = position
        var raw = ""
        while let scalar = current, "=!<>".unicodeScalars.contains(scalar) {
            raw.unicodeScalars.append(scalar)
            position += 1
        }
        if let op = JSONPath.Filter.Operator(rawValue: raw) { return op }
        if raw.isEmpty {
            if current == nil { throw failure("unterminated filter", at: start) }
            throw failure("expected '==' or '!=' after the filter field")
        }
        throw failure("bad operator '\(raw)' (use == or !=)", at: operatorStart)
    }

    private mutating func literal(openedAt start: Int) throws(JSONPathError) -> JSONPath.Filter.Literal {
        if current == "\"" { return .string(try quoted()) }
        let valueStart = position
        var raw = ""
        while let scalar = current, scalar != "]", scalar != " " {
            raw.unicodeScalars.append(scalar)
            position += 1
        }
        guard current != nil else { throw failure("unterminated filter", at: start) }
        switch raw {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "": throw failure("the filter has no value")
        default:
            if let number = Double(raw), number.isFinite { return .number(number) }
            throw failure("bad filter value '\(raw)' (expected a quoted string, a number, true or false)", at: valueStart)
        }
    }

    private mutating func skipSpaces() {
        while current == " " { position += 1 }
    }
}
