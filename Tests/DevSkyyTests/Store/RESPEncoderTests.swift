import Testing

@testable import DevSkyyStore

@Suite("RESP request encoding")
struct RESPEncoderTests {
    @Test func commandsAreWrittenInTheProtocolsRequestForm() {
        var encoder = RESPEncoder()
        encoder.command(["ZADD", "devskyy:ts:p.m", "1700000000000", "1700000000000:98.5"])
        encoder.command(["SET", "é", ""])
        let expected =
            "*4\r\n$4\r\nZADD\r\n$14\r\ndevskyy:ts:p.m\r\n$13\r\n1700000000000\r\n$18\r\n1700000000000:98.5\r\n"
            + "*3\r\n$3\r\nSET\r\n$2\r\né\r\n$0\r\n\r\n"
        #expect(encoder.bytes == Array(expected.utf8))
    }

    @Test func lengthsOfManyDigits() {
        var encoder = RESPEncoder()
        encoder.command([String(repeating: "x", count: 12_345)])
        #expect(Array(encoder.bytes.prefix(12)) == Array("*1\r\n$12345\r\n".utf8))
        #expect(encoder.bytes.count == 12 + 12_345 + 2)
    }
}
