/// Commands in Redis's request form (RESP: `*N\r\n` then `$len\r\narg\r\n` per argument), written into one buffer.
struct RESPEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func command(_ arguments: [String]) {
        header(UInt8(ascii: "*"), arguments.count)
        for argument in arguments {
            var argument = argument
            argument.withUTF8 { utf8 in
                header(UInt8(ascii: "$"), utf8.count)
                bytes.append(contentsOf: utf8)
            }
            newline()
        }
    }

    /// `*` or `$`, the count in decimal, CRLF.
    private mutating func header(_ marker: UInt8, _ count: Int) {
        bytes.append(marker)
        if count == 0 {
            bytes.append(UInt8(ascii: "0"))
        } else {
            let start = bytes.count
            var rest = count
            while rest > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            }
            bytes[start...].reverse()
        }
        newline()
    }

    private mutating func newline() {
        bytes.append(13)
        bytes.append(10)
    }
}
