/// HTTP dates as RFC 9110 §5.6.7 has senders write them (IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// Read by hand rather than with Foundation's DateFormatter: every formatter made leaked 128 bytes inside
/// Foundation (found by fuzz-headers' leak check), and a source answering `Retry-After` with a date on every
/// run would have grown the daemon for as long as it did. The obsolete RFC 850 and asctime forms are not read:
/// a `Retry-After` in them is ignored, and the usual backoff applies.
public enum IMFFixdate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Unix milliseconds, or nil when the text is not an IMF-fixdate of a real day and time.
    public static func milliseconds(_ text: String) -> Int64? {
        let c = Array(text.utf8)
        guard c.count == 29, c[3] == UInt8(ascii: ","), c[4] == UInt8(ascii: " "), c[7] == UInt8(ascii: " "),
            c[11] == UInt8(ascii: " "), c[16] == UInt8(ascii: " "), c[19] == UInt8(ascii: ":"), c[22] == UInt8(ascii: ":"),
            c[25] == UInt8(ascii: " "), c[26...] == [UInt8(ascii: "G"), UInt8(ascii: "M"), UInt8(ascii: "T")]
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in c[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(truncatingIfNeeded: byte &- UInt8(ascii: "0"))
            }
            return value
        }
        guard let monthIndex = months.firstIndex(of: String(decoding: c[8..<11], as: UTF8.self)),
            let day = number(5..<7), let year = number(12..<16), let hour = number(17..<19), let minute = number(20..<22),
            let second = number(23..<25)
        else { return nil }
        let month = Int64(truncatingIfNeeded: monthIndex + 1)
        guard (1...RFC3339.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = RFC3339.daysFromCivil(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000
    }
}
