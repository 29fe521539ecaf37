import DevSkyyCore
import Foundation
import Testing

@Suite("ISO 8601 timestamps")
struct TimestampTests {
    @Test(arguments: [0, 951_782_400_000, 1_761_388_200_000, 1_795_286_823_098, 4_102_444_799_999, -1, -86_400_001])
    func matchesFoundation(milliseconds: Int64) {
        let seconds = (Double(milliseconds) / 1_000).rounded(.down)
        let expected = Date(timeIntervalSince1970: seconds).formatted(.iso8601)
        #expect(Timestamp.iso8601(milliseconds: milliseconds) == expected)
    }

    @Test func seedExample() {
        #expect(Timestamp.iso8601(milliseconds: 1_761_388_200_000) == "2025-10-25T10:30:00Z")
    }
}
