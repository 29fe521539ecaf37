/// The one place where numbers that came from outside (headers, token answers, JSON values, query
/// parameters, file contents) become integers and durations. Swift's `Int64(_: Double)` and
/// `Int(_: Double)` trap on NaN, infinities and anything out of range, and integer arithmetic traps on
/// overflow; a partner API that answers `Retry-After: 1e20` must not take the daemon down with it.
/// Every conversion here either clamps to a bound the caller names or returns nil for the caller to
/// turn into an error of its collector or request. `scripts/lint-conversions` keeps new trapping
/// conversions out of the sources.
public enum Checked {
    /// `value` rounded toward zero when it is finite and fits, else nil.
    public static func int64(_ value: Double) -> Int64? {
        // 2^63 is exactly representable; every Double below it converts without trapping.
        guard value.isFinite, value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0 else {
            return nil
        }
        return Int64(value)
    }

    /// `value` rounded toward zero and clamped into `bounds`; nil only for NaN.
    public static func int64(_ value: Double, clampedTo bounds: ClosedRange<Int64>) -> Int64? {
        guard !value.isNaN else { return nil }
        if value <= Double(bounds.lowerBound) { return bounds.lowerBound }
        if value >= Double(bounds.upperBound) { return bounds.upperBound }
        return min(max(Int64(value), bounds.lowerBound), bounds.upperBound)
    }

    /// `value` rounded toward zero when it is finite and fits an `Int`, else nil.
    public static func int(_ value: Double) -> Int? {
        int64(value).flatMap { Int(exactly: $0) }
    }

    /// A count of seconds from outside (`Retry-After`, `expires_in`, a reset delay) as whole
    /// milliseconds, clamped to `0...maximum`; nil for NaN. Negative seconds count as zero.
    public static func milliseconds(seconds: Double, maximum: Int64) -> Int64? {
        int64(seconds * 1_000, clampedTo: 0...max(0, maximum))
    }

    /// A decimal integer in ASCII digits with an optional sign (no spaces or underscores), or nil
    /// when the text is not one or does not fit. Long texts are refused before they are read.
    public static func int64(_ text: some StringProtocol) -> Int64? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 20 else { return nil }
        return Int64(text)
    }

    /// Like `int64(_:)` for an `Int`.
    public static func int(_ text: some StringProtocol) -> Int? {
        int64(text).flatMap { Int(exactly: $0) }
    }

    /// `a + b`, held at `Int64.min` / `Int64.max` instead of overflowing.
    public static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b > 0 ? .max : .min
    }

    /// `a × b`, held at `Int64.min` / `Int64.max` instead of overflowing.
    public static func multiplying(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard overflow else { return product }
        return (a < 0) == (b < 0) ? .max : .min
    }
}
