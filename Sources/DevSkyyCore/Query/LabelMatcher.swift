import Foundation

/// One condition on a series: `partnership="technical"`, `platform!="tiktok"`, `metric=~"foll.*"`.
///
/// `partnership` and `metric` name the parts of the series name; any other name is a label, and a
/// series without that label reads as having it empty (so `platform=""` selects series without one).
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public let name: String
    public let op: Operator
    public let value: String
    /// Anchored at both ends, as in Prometheus: `foll.*` must match the whole value.
    private let regex: NSRegularExpression?

    /// - Throws: a message (without position) when `value` is not a valid regular expression for `=~` or `!~`.
    public init(_ name: String, _ op: Operator, _ value: String) throws(QueryError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual:
            regex = nil
        case .matches, .notMatches:
            do {
                regex = try NSRegularExpression(pattern: "\\A(?:\(value))\\z")
            } catch {
                throw .invalid("match", "invalid regular expression for \"\(name)\": \(Self.quoted(value))")
            }
        }
    }

    public func matches(_ series: SeriesName) -> Bool {
        let actual = series.value(of: name)
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches: return fullMatch(actual)
        case .notMatches: return !fullMatch(actual)
        }
    }

    private func fullMatch(_ text: String) -> Bool {
        guard let regex else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The canonical text: `name="value"` with `"` and `\` escaped.
    public var description: String { "\(name)\(op.rawValue)\(Self.quoted(value))" }

    public static func == (a: LabelMatcher, b: LabelMatcher) -> Bool {
        a.name == b.name && a.op == b.op && a.value == b.value
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, the names labels and matchers use.
    static func isLabelName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    static func quoted(_ text: String) -> String { "\"\(text.labelEscaped)\"" }
}

extension String {
    /// The text as Prometheus's exposition format and selectors write a label value between double quotes:
    /// `\`, `"` and newline escaped.
    public var labelEscaped: String {
        var result = ""
        for character in self {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
