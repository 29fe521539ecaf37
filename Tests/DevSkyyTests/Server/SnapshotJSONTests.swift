import DevSkyyCore
import Foundation
import Testing

@testable import DevSkyyServer

@Suite("Snapshot JSON")
struct SnapshotJSONTests {
    @Test func writesSortedEscapedJSONThatParsesBack() throws {
        let value: [String: Any] = [
            "b": [1, 2.5, true, NSNull(), "x\"y\\z\n\u{1}é"], "a": ["nested": Double.nan, "n": -3], "c": 1e21,
        ]
        let bytes = JSONText.render(value)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\"a\":{\"n\":-3,\"nested\":null},\"b\":[1,2.5,true,null,"))
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect((parsed["b"] as? [Any])?.last as? String == "x\"y\\z\n\u{1}é")
        #expect(parsed["c"] as? Double == 1e21)
    }

    /// Token answers' `expires_in` is an Int64: it was written as null.
    @Test func writesInt64AsANumber() {
        let text = String(decoding: JSONText.render(["expires_in": Int64(900), "min": Int64.min]), as: UTF8.self)
        #expect(text == #"{"expires_in":900,"min":-9223372036854775808}"#)
    }
}
