/// URLs as logs, errors and answers may show them: configured URLs carry tokens in user info, query and path.
public enum URLRedaction {
    /// What replaces a secret.
    public static let marker = "[redacted]"
    /// What stands for a whole URL whose authority cannot be told from the rest, so any part of it may be a password.
    public static let unparseable = "(unparseable URL)"

    /// Scheme, host, port, path and query parameter names stay; user info, query values and the fragment are masked.
    public static func redacted(_ url: String) -> String {
        let parts = URLParts(url)
        guard isCutSafely(parts) else { return unparseable }
        var result = parts.scheme.map { "\($0)://" } ?? ""
        // A user name alone is often the token itself (https://TOKEN@host), so the whole user info goes.
        if parts.userInfo != nil { result += marker + "@" }
        result += parts.hostAndPort + parts.path
        if let query = parts.query {
            let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
                // An item without `=` (`?TOKEN`) may be a value with no name: it goes whole.
                guard let equals = item.firstIndex(of: "=") else { return item.isEmpty ? "" : marker }
                return String(item[...equals]) + marker
            }
            result += "?" + items.joined(separator: "&")
        }
        // Fragments are never sent, so nothing is lost, and an OAuth one carries `access_token=…`.
        if let fragment = parts.fragment { result += "#" + (fragment.isEmpty ? "" : marker) }
        return result
    }

    /// Only `scheme://host[:port]`, for URLs whose path is itself the token (Slack and Teams webhooks).
    public static func origin(_ url: String) -> String {
        let parts = URLParts(url)
        guard let scheme = parts.scheme, isCutSafely(parts) else { return unparseable }
        return "\(scheme)://\(parts.hostAndPort)"
    }

    /// Whether the authority was surely found. Not when the port is not a number, as when a password holds a `/`
    /// (`https://user:pa/ss@host`): what looks like host and port is part of the secret. Nor when no user info was
    /// found yet an `@` follows the cut in the path, or in a query or fragment item before any `=`: user info holding
    /// `/`, `?` or `#` (`https://dXNl/cGFzcw==@host`, `https://tok?en@host`) was cut there. A path with an `@` of its
    /// own (`/@user`) is hidden too: the two cannot be told apart, and a secret must not show.
    private static func isCutSafely(_ parts: URLParts) -> Bool {
        guard parts.port?.allSatisfy({ $0.isASCII && $0.isNumber }) ?? true else { return false }
        guard parts.userInfo == nil else { return true }
        if parts.path.contains("@") { return false }
        for part in [parts.query, parts.fragment].compactMap({ $0 }) {
            for item in part.split(separator: "&") where item.prefix(while: { $0 != "=" }).contains("@") { return false }
        }
        return true
    }
}
