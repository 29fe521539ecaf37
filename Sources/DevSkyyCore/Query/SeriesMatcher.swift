/// A list of label matchers, all of which a series must satisfy: `{partnership="technical",metric=~"foll.*"}`.
public struct SeriesMatcher: Sendable, Equatable, CustomStringConvertible {
    public let matchers: [LabelMatcher]

    public init(_ matchers: [LabelMatcher]) {
        self.matchers = matchers
    }

    public func matches(_ series: SeriesName) -> Bool {
        matchers.allSatisfy { $0.matches(series) }
    }

    /// Parses the selector syntax (see the README): braces optional, matchers separated by commas,
    /// values in double quotes or, when they hold no space, comma, brace or quote, bare.
    /// - Throws: `QueryError` for parameter `match`, with the 1-based column of the problem.
    public static func parse(_ text: String) throws(QueryError) -> SeriesMatcher {
        var parser = MatcherParser(text)
        return SeriesMatcher(try parser.parse())
    }

    /// Canonical text, matchers sorted: equal selections give equal text (the cache key depends on it).
    public var description: String {
        "{" + matchers.map(\.description).sorted().joined(separator: ",") + "}"
    }
}

/// A hand-written scanner: each error says what was expected, where, and what was found.
private struct MatcherParser {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func parse() throws(QueryError) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        skipSpaces()
        let braceColumn = column
        let braced = take("{")
        while true {
            skipSpaces()
            if atEnd || peek == "}" { break }
            matchers.append(try matcher())
            skipSpaces()
            if take(",") { continue }
            if atEnd || peek == "}" { break }
            throw fail("expected \",\" or \"}\" after the value of \"\(matchers.last!.name)\", found \(found)")
        }
        if braced {
            guard take("}") else { throw fail("expected \"}\" to close the \"{\" at column \(braceColumn)") }
        } else if peek == "}" {
            throw fail("unexpected \"}\": there is no \"{\" to close")
        }
        skipSpaces()
        guard atEnd else { throw fail("unexpected \(found) after the end of the selector") }
        return matchers
    }

    private mutating func matcher() throws(QueryError) -> LabelMatcher {
        let start = index
        while let c = peek, c.isASCII, c.isLetter || c.isNumber || c == "_" { index += 1 }
        let name = String(characters[start..<index])
        guard LabelMatcher.isLabelName(name[...]) else {
            index = start
            throw fail("expected a label name ([A-Za-z_][A-Za-z0-9_]*), found \(found)")
        }
        skipSpaces()
        guard let op = takeOperator() else {
            throw fail("expected one of =, !=, =~, !~ after \"\(name)\", found \(found)")
        }
        skipSpaces()
        let valueColumn = column
        let value = try self.value(after: op, of: name)
        do {
            return try LabelMatcher(name, op, value)
        } catch {
            throw .invalid("match", "column \(valueColumn): \(error.message)")
        }
    }

    private mutating func value(after op: LabelMatcher.Operator, of name: String) throws(QueryError) -> String {
        if peek == "\"" {
            let open = column
            index += 1
            var value = ""
            while let c = peek {
                index += 1
                switch c {
                case "\"": return value
                case "\\":
                    guard let escaped = peek else { break }
                    index += 1
                    switch escaped {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "\"", "\\": value.append(escaped)
                    // Regular expressions keep their own escapes: `\d`, `\.`.
                    default: value += "\\\(escaped)"
                    }
                default: value.append(c)
                }
            }
            throw fail("the quoted value opened at column \(open) is not closed")
        }
        let start = index
        while let c = peek, !c.isWhitespace, !",{}\"".contains(c) { index += 1 }
        guard index > start || peek == "," || peek == "}" || atEnd else {
            throw fail("expected a value after \"\(name)\(op.rawValue)\" (a \"quoted string\" or a word), found \(found)")
        }
        return String(characters[start..<index])
    }

    private mutating func takeOperator() -> LabelMatcher.Operator? {
        for op in [LabelMatcher.Operator.notEqual, .matches, .notMatches, .equal] {
            let symbol = Array(op.rawValue)
            if index + symbol.count <= characters.count, Array(characters[index..<index + symbol.count]) == symbol {
                index += symbol.count
                return op
            }
        }
        return nil
    }

    private var atEnd: Bool { index >= characters.count }
    private var peek: Character? { atEnd ? nil : characters[index] }
    /// 1-based, in characters.
    private var column: Int { index + 1 }

    private var found: String {
        guard let c = peek else { return "the end" }
        return "\"\(c)\""
    }

    private mutating func take(_ c: Character) -> Bool {
        guard peek == c else { return false }
        index += 1
        return true
    }

    private mutating func skipSpaces() {
        while let c = peek, c.isWhitespace { index += 1 }
    }

    private func fail(_ message: String) -> QueryError {
        .invalid("match", "column \(column): \(message)")
    }
}
