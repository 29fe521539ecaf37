import DevSkyyCore

/// Parses one line of the Prometheus text exposition format 0.0.4; `:` in metric names becomes `_`.
struct PrometheusLineParser {
    enum Line {
        case blank
        /// A `#` comment or a `# HELP` line.
        case comment
        /// `# TYPE family kind`.
        case type(family: String, kind: String)
        /// `name{label="value",...} value [timestamp]`; the timestamp is checked and dropped.
        case sample(name: String, labels: [Sample.Label], value: Double)
    }

    struct Malformed: Error {
        var reason: String
    }

    private static let kinds: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    static func parse(_ line: ArraySlice<UInt8>) throws(Malformed) -> Line {
        var parser = PrometheusLineParser(bytes: line, position: line.startIndex)
        return try parser.line()
    }

    private init(bytes: ArraySlice<UInt8>, position: Int) {
        self.bytes = bytes
        self.position = position
    }

    private var current: UInt8? { position < bytes.endIndex ? bytes[position] : nil }

    private mutating func line() throws(Malformed) -> Line {
        skipBlanks()
        guard let first = current else { return .blank }
        return first == UInt8(ascii: "#") ? try comment() : try sample()
    }

    private mutating func comment() throws(Malformed) -> Line {
        position += 1
        skipBlanks()
        let keyword = token()
        guard keyword == "HELP" || keyword == "TYPE" else { return .comment }
        skipBlanks()
        let name = try metricName()
        guard !name.isEmpty else { throw Malformed(reason: "# \(keyword) without a metric name") }
        // HELP's docstring is free text.
        if keyword == "HELP" { return .comment }
        skipBlanks()
        let kind = token()
        skipBlanks()
        guard Self.kinds.contains(kind), current == nil else {
            throw Malformed(reason: "bad # TYPE line for \(name): the type is counter, gauge, histogram, summary or untyped")
        }
        return .type(family: name, kind: kind)
    }

    private mutating func sample() throws(Malformed) -> Line {
        let name = try metricName()
        guard !name.isEmpty else { throw Malformed(reason: "expected a metric name") }
        skipBlanks()
        var labels: [Sample.Label] = []
        if current == UInt8(ascii: "{") {
            position += 1
            labels = try labelSet()
            skipBlanks()
        }
        let valueText = token()
        guard !valueText.isEmpty else { throw Malformed(reason: "\(name) has no value") }
        guard let value = Double(valueText) else { throw Malformed(reason: "bad value '\(valueText)' for \(name)") }
        skipBlanks()
        if current != nil {
            let timestamp = token()
            guard Int64(timestamp) != nil else { throw Malformed(reason: "bad timestamp '\(timestamp)' for \(name)") }
            skipBlanks()
            guard current == nil else { throw Malformed(reason: "unexpected text after the timestamp of \(name)") }
        }
        return .sample(name: name, labels: labels, value: value)
    }

    /// The most labels one sample may carry (Prometheus's own exporters stay far below it).
    static let maxLabels = 64

    /// The pairs after `{`, up to and including `}`; a trailing comma is allowed.
    private mutating func labelSet() throws(Malformed) -> [Sample.Label] {
        var labels: [Sample.Label] = []
        while true {
            skipBlanks()
            if current == UInt8(ascii: "}") {
                position += 1
                return labels
            }
            // Checking for a repeated name is quadratic; a line of 100,000 labels would hold a thread for minutes.
            guard labels.count < Self.maxLabels else { throw Malformed(reason: "more than \(Self.maxLabels) labels") }
            let name = labelName()
            guard !name.isEmpty else {
                throw Malformed(reason: current == nil ? "unterminated label set" : "expected a label name")
            }
            skipBlanks()
            guard current == UInt8(ascii: "=") else { throw Malformed(reason: "expected '=' after label \(name)") }
            position += 1
            skipBlanks()
            guard current == UInt8(ascii: "\"") else { throw Malformed(reason: "expected a quoted value for label \(name)") }
            let value = try labelValue()
            guard !labels.contains(where: { $0.name == name }) else { throw Malformed(reason: "label \(name) appears twice") }
            labels.append(Sample.Label(name, value))
            skipBlanks()
            if current == UInt8(ascii: ",") {
                position += 1
            } else if current != UInt8(ascii: "}") {
                throw Malformed(reason: current == nil ? "unterminated label set" : "expected ',' or '}' after label \(name)")
            }
        }
    }

    /// A quoted label value with `\\`, `\"` and `\n` escapes; copies bytes only once an escape shows up.
    private mutating func labelValue() throws(Malformed) -> String {
        position += 1
        let start = position
        var unescaped: [UInt8]?
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                let text = unescaped.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: bytes[start..<position], as: UTF8.self)
                position += 1
                return text
            case UInt8(ascii: "\\"):
                if unescaped == nil { unescaped = Array(bytes[start..<position]) }
                position += 1
                switch current {
                case UInt8(ascii: "\\"): unescaped?.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): unescaped?.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): unescaped?.append(UInt8(ascii: "\n"))
                case nil: throw Malformed(reason: "unterminated label value")
                case let other?: throw Malformed(reason: "bad escape '\\\(Character(Unicode.Scalar(other)))' in a label value")
                }
                position += 1
            default:
                unescaped?.append(byte)
                position += 1
            }
        }
        throw Malformed(reason: "unterminated label value")
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, with `:` read as `_`; empty when none starts here.
    private mutating func metricName() throws(Malformed) -> String {
        let start = position
        while let byte = current, Self.isNameByte(byte, first: position == start) || byte == UInt8(ascii: ":") { position += 1 }
        if let byte = current, !Self.isBlank(byte), byte != UInt8(ascii: "{"), position > start {
            throw Malformed(reason: "bad character '\(Character(Unicode.Scalar(byte)))' in metric name")
        }
        let name = bytes[start..<position]
        guard name.contains(UInt8(ascii: ":")) else { return String(decoding: name, as: UTF8.self) }
        return String(decoding: name.map { $0 == UInt8(ascii: ":") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    private mutating func labelName() -> String {
        let start = position
        while let byte = current, Self.isNameByte(byte, first: position == start) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        default: false
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// The bytes up to the next blank.
    private mutating func token() -> String {
        let start = position
        while let byte = current, !Self.isBlank(byte) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func skipBlanks() {
        while let byte = current, Self.isBlank(byte) { position += 1 }
    }
}
