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

    /// Regression: an `Int64` (a token's `expires_in`) was written as `null`.
    @Test func integersOfEveryWidthAreNumbers() {
        let value: [String: Any] = ["a": Int64(900), "b": UInt8(7), "c": Int32(-5), "d": UInt64.max]
        #expect(String(decoding: JSONText.render(value), as: UTF8.self) == #"{"a":900,"b":7,"c":-5,"d":18446744073709551615}"#)
    }
}
