import DevSkyyCore
import Foundation

/// Reads the rate-limit, retry and paging headers of a response.
public enum ResponseHeaders {
    /// The furthest ahead a header may push a collector, in ms (a year): a `Retry-After` or rate-limit reset
    /// beyond it counts as this much. The scheduler then holds every such pause to `collection.backoff_max`.
    public static let maximumDelay: Int64 = 366 * 86_400_000

    /// `Retry-After` as seconds or an HTTP date, relative to `now` (unix ms), at most `maximumDelay`.
    /// A value that is neither (negative, NaN, text) is ignored.
    public static func retryAfter(_ headers: [String: String], now: Int64) -> Duration? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) {
            guard seconds >= 0 else { return nil }
            return Checked.milliseconds(seconds: seconds, maximum: maximumDelay).map(Duration.milliseconds)
        }
        guard let at = IMFFixdate.milliseconds(value) else { return nil }
        return .milliseconds(min(max(0, Checked.adding(at, -now)), maximumDelay))
    }

    /// `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds, or seconds from now when small),
    /// also in the IETF draft spelling `RateLimit-Remaining` / `RateLimit-Reset`.
    public static func rateLimit(_ headers: [String: String], now: Int64) -> RateLimit? {
        let remaining = (headers["x-ratelimit-remaining"] ?? headers["ratelimit-remaining"]).flatMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let resetText = headers["x-ratelimit-reset"] ?? headers["ratelimit-reset"]
        var resetAt: Int64?
        if let reset = resetText.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), reset >= 0 {
            // Epoch seconds are above 10^9; anything smaller is a delay. Either way at most `maximumDelay` ahead.
            let latest = Checked.adding(now, maximumDelay)
            resetAt =
                reset > 1e9
                ? Checked.int64(reset * 1_000, clampedTo: 0...latest)
                : Checked.milliseconds(seconds: reset, maximum: maximumDelay).map { Checked.adding(now, $0) }
        }
        guard remaining != nil || resetAt != nil else { return nil }
        return RateLimit(remaining: remaining, resetAt: resetAt)
    }

    /// The `rel="next"` target of a `Link` header, resolved against the request URL.
    public static func nextLink(_ headers: [String: String], base: String) -> String? {
        guard let link = headers["link"] else { return nil }
        for part in link.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = pieces.dropFirst().contains { parameter in
                let compact = parameter.replacingOccurrences(of: " ", with: "").lowercased()
                return compact == "rel=\"next\"" || compact == "rel=next"
            }
            guard isNext else { continue }
            let reference = String(target.dropFirst().dropLast())
            return URL(string: reference, relativeTo: URL(string: base))?.absoluteString
        }
        return nil
    }
}
