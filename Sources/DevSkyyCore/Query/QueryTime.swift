/// A point in time as a query gives it: absolute, or relative to the moment the query runs.
public enum QueryTime: Sendable, Equatable, CustomStringConvertible {
    /// Unix milliseconds.
    case absolute(Int64)
    /// Milliseconds from now (negative: in the past).
    case relative(Int64)

    public static let now = QueryTime.relative(0)
    /// The furthest back a relative time reaches: a thousand years.
    static let maxOffset = DurationParser.longest

    /// Parses `now`, `now-1h`, `-1h` (durations as in the configuration), unix seconds (`1700000000`,
    /// `1700000000.5`), unix milliseconds (`1700000000000`) and RFC 3339 (`2025-10-25T10:30:00Z`,
    /// `2025-10-25T12:30:00.250+02:00`). A number below 100000000000 is seconds, from there on milliseconds.
    public static func parse(_ text: String) -> QueryTime? {
        if text == "now" { return .now }
        if text.hasPrefix("now-") || text.hasPrefix("-") {
            let duration = text.hasPrefix("now-") ? text.dropFirst(4) : text.dropFirst()
            // Bounded, so that differences of times never overflow.
            guard let parsed = DurationParser.parse(String(duration)), parsed.milliseconds <= maxOffset else { return nil }
            return .relative(-parsed.milliseconds)
        }
        if let first = text.first, first.isASCII, first.isNumber, !text.contains("-") {
            return unix(text).map(QueryTime.absolute)
        }
        return RFC3339.milliseconds(text).map(QueryTime.absolute)
    }

    /// Unix milliseconds, with relative times counted from `now`.
    public func resolve(now: Int64) -> Int64 {
        switch self {
        case .absolute(let ms): ms
        case .relative(let offset): now + offset
        }
    }

    /// Canonical text: unix ms, or `now` with its offset in ms (`now-3600000`).
    public var description: String {
        switch self {
        case .absolute(let ms): String(ms)
        case .relative(0): "now"
        case .relative(let offset): offset < 0 ? "now\(offset)" : "now+\(offset)"
        }
    }

    private static func unix(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].count <= 15, parts[0].allSatisfy(\.isASCII), let whole = Int64(parts[0]) else { return nil }
        if whole >= 100_000_000_000 {
            return parts.count == 1 ? whole : nil
        }
        var ms = whole * 1_000
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            ms += Int64(fraction.zeroPadded(to: 3))!
        }
        return ms
    }
}

/// RFC 3339 date-times: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space separator are accepted too.
public enum RFC3339 {
    public static func milliseconds(_ text: String) -> Int64? {
        let c = Array(text.utf8)
        guard c.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= c.count else { return nil }
            var value: Int64 = 0
            for byte in c[from..<from + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), c[4] == UInt8(ascii: "-"), let month = number(5, 2), c[7] == UInt8(ascii: "-"),
            let day = number(8, 2), [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(c[10]),
            let hour = number(11, 2), c[13] == UInt8(ascii: ":"), let minute = number(14, 2), c[16] == UInt8(ascii: ":"),
            let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = 19
        var fractionMs: Int64 = 0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < c.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c[i]) { i += 1 }
            guard i > start else { return nil }
            let digits = String(decoding: c[start..<min(i, start + 3)], as: UTF8.self)
            fractionMs = Int64(digits.zeroPadded(to: 3))!
        }
        guard i < c.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch c[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let h = number(i + 1, 2), i + 3 < c.count, c[i + 3] == UInt8(ascii: ":"), let m = number(i + 4, 2), h < 24, m < 60
            else { return nil }
            offsetMinutes = (h * 60 + m) * (c[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == c.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1_000 + fractionMs
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension StringProtocol {
    /// The first `length` characters, padded with zeros on the right: fractions of a second as milliseconds.
    fileprivate func zeroPadded(to length: Int) -> String {
        let head = String(prefix(length))
        return head + String(repeating: "0", count: length - head.count)
    }
}
