import DevSkyyCore
import DevSkyyStore
import Testing

@Suite("Sample batches as outbox records")
struct SampleBatchCodecTests {
    static let samples = [
        Sample(partnership: "technical", metric: "uptime", timestamp: 1_700_000_000_123, value: 99.95),
        Sample(
            partnership: "brand", metric: "followers", labels: [.init("platform", "instagram"), .init("post", "été/1,2=3")],
            timestamp: -5, value: -0.0
        ),
        Sample(partnership: "p", metric: "m", timestamp: .max, value: 1e-300),
    ]

    @Test func roundTripsEveryField() throws {
        let decoded = try #require(SampleBatchCodec.decode(SampleBatchCodec.encode(Self.samples)))
        #expect(decoded == Self.samples)
        #expect(decoded.map(\.series) == Self.samples.map(\.series))
        #expect(decoded[1].value.sign == .minus, "the value's bits are kept, not its text")
    }

    @Test func rejectsTruncatedOrForeignBytes() {
        let bytes = SampleBatchCodec.encode(Self.samples)
        for cut in [0, 1, 2, bytes.count / 2, bytes.count - 1] {
            #expect(SampleBatchCodec.decode(Array(bytes.prefix(cut))) == nil, "cut at \(cut)")
        }
        #expect(SampleBatchCodec.decode([9] + bytes.dropFirst()) == nil, "unknown format byte")
        #expect(SampleBatchCodec.decode(bytes + [0]) == nil, "trailing bytes")
        #expect(SampleBatchCodec.decode(SampleBatchCodec.encode([])) == [])
    }
}
