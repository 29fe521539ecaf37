import DevSkyyCore
import Testing

@Suite("Form bodies (application/x-www-form-urlencoded)")
struct FormBodyTests {
    private func parse(_ text: String) throws(FormBodyError) -> FormBody { try FormBody(parsing: Array(text.utf8)) }

    @Test func namesAndValuesAreDecoded() throws {
        let form = try parse("grant_type=client_credentials&client_id=a%3Ab+c&client_secret=%C3%BC%26%3D%2B&scope=x+y")
        #expect(
            form.parameters == [
                "grant_type": "client_credentials", "client_id": "a:b c", "client_secret": "ü&=+", "scope": "x y",
            ])
    }

    @Test func emptyPiecesAreSkippedAndEmptyValuesReadAsOmitted() throws {
        let form = try parse("&&a=&b&c=1&")
        #expect(form.parameters == ["a": "", "b": "", "c": "1"])
        #expect(form["a"] == nil && form["b"] == nil && form["c"] == "1" && form["d"] == nil)
        #expect(try parse("").parameters.isEmpty)
        #expect(try parse("a==b")["a"] == "=b", "only the first = splits")
    }

    @Test(arguments: [
        ("a=1&a=2", "a is given more than once"),
        ("a=&a=", "a is given more than once"),
        ("x%61=1&xa=2", "xa is given more than once"),
        ("=1", "a parameter name is empty"),
        ("a=%zz", "the value of a"),
        ("a=%4", "the value of a"),
        ("a=%", "the value of a"),
        ("%C3%28=1", "a parameter name is empty, not UTF-8"),
        ("a=%FF", "the value of a"),
        ("a%00%0A%22=1&a%00%0A%22=2", "a parameter is given more than once"),
    ])
    func malformedBodiesAreRefused(_ body: String, _ message: String) {
        #expect(throws: FormBodyError.self, "\(body)") { try parse(body) }
        do {
            _ = try parse(body)
        } catch {
            #expect(error.message.hasPrefix(message), "\(body): \(error.message)")
        }
    }

    @Test func boundsHold() throws {
        let most = (0..<FormBody.maximumParameters).map { "p\($0)=1" }.joined(separator: "&")
        #expect(try parse(most).parameters.count == FormBody.maximumParameters)
        #expect(throws: FormBodyError.self) { try parse(most + "&one=more") }
        let longest = "a=" + String(repeating: "x", count: FormBody.maximumBytes - 2)
        #expect(try parse(longest)["a"]?.utf8.count == FormBody.maximumBytes - 2)
        #expect(throws: FormBodyError.self) { try parse(longest + "x") }
    }

    @Test func everyByteIsReadWithoutATrap() {
        for byte in UInt8.min...UInt8.max {
            for body in [[byte], [UInt8(ascii: "%"), byte], [UInt8(ascii: "a"), UInt8(ascii: "="), UInt8(ascii: "%"), byte, byte]] {
                _ = try? FormBody(parsing: body)
                _ = FormBody.decode(body[...])
            }
        }
    }
}
