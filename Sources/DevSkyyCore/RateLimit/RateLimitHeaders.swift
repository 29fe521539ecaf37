/// The header fields that tell a client where it stands with a rate limit, computed from one decision.
///
/// Two families, both sent: the seeds' `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`, and
/// the IETF's `RateLimit` and `RateLimit-Policy` as draft-ietf-httpapi-ratelimit-headers-10 (September 2025) writes
/// them: structured-field items named by a quoted policy, `"metrics";q=100;w=60` and `"metrics";r=42;t=12`. (Drafts
/// up to -07 wrote `limit=100, remaining=42, reset=12` and `100;w=60` instead; -08 moved to the named form.)
public enum RateLimitHeaders {
    /// The fields for an answer to a request that `decision` allowed or refused under `limit`, for the policy
    /// named `policy` (an endpoint class, or `login`). `Retry-After` is added only when the request was refused.
    public static func fields(policy: String, limit: RateLimit, decision: RateLimitState.Decision) -> [(name: String, value: String)] {
        // Whole seconds, rounded up so that a client waiting that long finds what was promised. The seeds do not
        // say whether X-RateLimit-Reset is a delay or a unix time: a delay, like the draft's `t` and Retry-After,
        // needs no clock agreement between client and daemon.
        let reset = seconds(decision.resetAfter)
        let name = quoted(policy)
        var fields: [(name: String, value: String)] = [
            ("X-RateLimit-Limit", String(limit.count)),
            ("X-RateLimit-Remaining", String(decision.remaining)),
            ("X-RateLimit-Reset", String(reset)),
            ("RateLimit", "\(name);r=\(decision.remaining);t=\(reset)"),
            ("RateLimit-Policy", "\(name);q=\(limit.count);w=\(limit.period.milliseconds / 1_000)"),
        ]
        if !decision.allowed {
            // A refused request always has a positive wait, so this is at least 1: `Retry-After: 0` would invite a
            // client to retry at once.
            fields.append(("Retry-After", String(max(1, seconds(decision.retryAfter)))))
        }
        return fields
    }

    /// Milliseconds as whole seconds, rounded up; negative counts as zero.
    static func seconds(_ milliseconds: Int64) -> Int64 {
        guard milliseconds > 0 else { return 0 }
        return milliseconds / 1_000 + (milliseconds % 1_000 == 0 ? 0 : 1)
    }

    /// A structured-field string (RFC 8941 §3.3.3): printable ASCII, with `"` and `\` escaped; anything else is
    /// left out so the field stays valid whatever the name.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars where (0x20...0x7E).contains(scalar.value) {
            if scalar == "\"" || scalar == "\\" { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result + "\""
    }
}
