/// A URL cut into its RFC 3986 parts by position alone, as curl cuts it: nothing is decoded or checked, so each
/// caller judges the parts it cares about. One cutter, so redaction and origin checks agree on where user info ends.
struct URLParts {
    /// Before `://`; nil when there is none, as in a proxy given as `user:password@proxy:3128`.
    var scheme: Substring?
    /// Before the authority's last `@`: a password may hold an `@` of its own.
    var userInfo: Substring?
    /// With its brackets when it is an IPv6 address.
    var host: Substring
    /// After the port colon, possibly empty or not a number.
    var port: Substring?
    /// From the first `/` after the authority; empty when there is none.
    var path: Substring
    var query: Substring?
    var fragment: Substring?

    init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        if let separator = rest.range(of: "://"), Self.isScheme(rest[..<separator.lowerBound]) {
            scheme = rest[..<separator.lowerBound]
            rest = rest[separator.upperBound...]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        path = rest[authorityEnd...]
        var hostPort = rest[..<authorityEnd]
        if let at = hostPort.lastIndex(of: "@") {
            userInfo = hostPort[..<at]
            hostPort = hostPort[hostPort.index(after: at)...]
        }
        // `[v6]:port` keeps its colons inside the brackets.
        var portColon = hostPort.lastIndex(of: ":")
        if let bracket = hostPort.lastIndex(of: "]"), let colon = portColon, colon < bracket { portColon = nil }
        host = portColon.map { hostPort[..<$0] } ?? hostPort
        port = portColon.map { hostPort[hostPort.index(after: $0)...] }
    }

    /// RFC 3986: a letter, then letters, digits, `+`, `-` and `.`; anything else before `://` is part of a path.
    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    /// `host[:port]` as written.
    var hostAndPort: String { String(host) + (port.map { ":\($0)" } ?? "") }
}
