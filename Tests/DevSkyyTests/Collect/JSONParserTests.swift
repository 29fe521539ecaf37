import Foundation
import Testing

@testable import DevSkyyCollect
@testable import DevSkyyCore

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" { "a" : [1, -2.5, 3e2, true, false, null, "x"], "b": {"c": {}} , "d": [] } "#)
        #expect(
            value
                == .object([
                    (
                        "a",
                        .array([
                            .number(1, integer: 1), .number(-2.5, integer: nil), .number(300, integer: nil), .bool(true), .bool(false),
                            .null,
                            .string("x"),
                        ])
                    ),
                    ("b", .object([("c", .object([]))])),
                    ("d", .array([])),
                ]))
    }

    @Test func bareScalarsAreDocumentsToo() throws {
        #expect(try parse("42") == .number(42, integer: 42))
        #expect(try parse(" \"hi\" ") == .string("hi"))
        #expect(try parse("null") == .null)
    }

    @Test func stringsDecodeEveryEscape() throws {
        #expect(try parse(#""q\"b\\s\/n\nt\tr\rb\bf\f""#) == .string("q\"b\\s/n\nt\tr\rb\u{8}f\u{c}"))
        #expect(try parse(#""caf\u00e9 \u20AC \ud83d\ude00""#) == .string("café € 😀"))
        #expect(try parse("\"raw ünïcödé 😀\"") == .string("raw ünïcödé 😀"))
    }

    @Test func integersKeepEveryDigitAndOthersRoundCorrectly() throws {
        #expect(try parse("9007199254740993") == .number(9_007_199_254_740_992, integer: 9_007_199_254_740_993))
        #expect(try parse("-9223372036854775808") == .number(-9_223_372_036_854_775_808, integer: .min))
        #expect(try parse("18446744073709551616") == .number(18_446_744_073_709_551_616, integer: nil))
        #expect(try parse("-0") == .number(0, integer: 0))
        #expect(try parse("0.1") == .number(0.1, integer: nil))
        #expect(try parse("1E-3") == .number(0.001, integer: nil))
    }

    @Test func aKeyGivenTwiceReadsAsItsLastValue() throws {
        #expect(try parse(#"{"k": 1, "k": 2}"#)["k"] == .number(2, integer: 2))
    }

    @Test(arguments: [
        ("", "unexpected end of the document"), ("{", "expected a quoted key"), ("[1,]", "unexpected character"),
        ("[1 2]", "expected ',' or ']' in an array"), ("{\"a\" 1}", "expected ':' after a key"), ("{\"a\":1,}", "expected a quoted key"),
        ("01", "unexpected text after the document"), ("1.", "expected a digit after '.'"), ("-", "expected a digit"),
        ("1e", "expected a digit in the exponent"), ("tru", "unexpected character"), ("\"abc", "unterminated string"),
        ("\"a\u{1}b\"", "control character in a string"), (#""\x""#, "invalid escape"), (#""\u12zz""#, "invalid hex digit in a \\u escape"),
        (#""\u12""#, "short \\u escape"),
        (#""\ud800""#, "lone surrogate in a \\u escape"), (#""\udc00""#, "lone surrogate in a \\u escape"),
        ("{} x", "unexpected text after the document"),
        ("NaN", "unexpected character"),
    ])
    func refusesWhatIsNotJSONSayingWhy(text: String, reason: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
        do {
            _ = try JSONValue.parse(Array(text.utf8))
        } catch {
            #expect(error.reason == reason, "\(text)")
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: JSONParser.maxDepth + 1) + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(throws: JSONParseError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect((try? parse(fine)) != nil)
    }

    /// Numbers round as Swift's own parser does (correctly; Foundation's reads 0.30000000000000004 one ulp off),
    /// and strings decode as Foundation decodes them.
    @Test func numbersRoundCorrectlyAndStringsAgreeWithFoundation() throws {
        let numbers = ["0", "-1", "3.14159", "2.5e-8", "1e308", "-4.9e-324", "123456789012345", "0.30000000000000004", "1E+2", "98.5"]
        for text in numbers {
            guard case .number(let double, _) = try parse(text) else {
                Issue.record("\(text) is not a number")
                continue
            }
            #expect(double == Double(text), "\(text)")
        }
        let strings = [#""plain""#, #""tab\there""#, #""\u0041\u00DF\u6771\uD834\uDD1E""#, #""\"quoted\"""#]
        for text in strings {
            let foundation = try #require(JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? String)
            #expect(try parse(text) == .string(foundation), "\(text)")
        }
    }
}
