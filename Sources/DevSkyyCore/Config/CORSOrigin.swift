/// A web origin as a browser's `Origin` header carries it: `scheme://host[:port]`.
public enum CORSOrigin {
    public struct Problem: Error, Sendable, Equatable {
        public let reason: String
    }

    /// The origin with scheme and host lowercased and a default port (80 for http, 443 for https) left out, as
    /// browsers send it; a path, query, user info or other scheme is a problem.
    public static func normalize(_ text: String) -> Result<String, Problem> {
        guard let separator = text.range(of: "://") else { return .failure(.init(reason: "expected scheme://host[:port]")) }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return .failure(.init(reason: "the scheme must be http or https"))
        }
        let authority = text[separator.upperBound...]
        if let extra = authority.first(where: { "/?#@".contains($0) }) {
            let what = extra == "@" ? "user info" : extra == "/" ? "path (not even a trailing /)" : "query or fragment"
            return .failure(.init(reason: "an origin has no \(what)"))
        }
        // `[v6]:port` keeps its colons inside the brackets.
        var portColon = authority.lastIndex(of: ":")
        if let bracket = authority.lastIndex(of: "]"), let colon = portColon, colon < bracket { portColon = nil }
        let host = (portColon.map { authority[..<$0] } ?? authority).lowercased()
        let validHost =
            host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2
            || !host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        guard validHost else { return .failure(.init(reason: "the host must be a name or an address")) }
        var port: Int?
        if let portColon {
            guard let number = Int(authority[authority.index(after: portColon)...]), (1...65_535).contains(number) else {
                return .failure(.init(reason: "the port must be a number from 1 to 65535"))
            }
            port = number
        }
        let isDefault = port == (scheme == "https" ? 443 : 80)
        return .success("\(scheme)://\(host)" + (port.map { isDefault ? "" : ":\($0)" } ?? ""))
    }
}
