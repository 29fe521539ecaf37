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
}
