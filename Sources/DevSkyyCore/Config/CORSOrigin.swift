/// A web origin as a browser's `Origin` header carries it: `scheme://host[:port]`.
public enum CORSOrigin {
    public struct Problem: Error, Sendable, Equatable {
        public let reason: String
    }

    /// The origin with scheme and host lowercased and a default port (80 for http, 443 for https) left out, as
    /// browsers send it; a path, query, user info or other scheme is a problem.
    public static func normalize(_ text: String) -> Result<String, Problem> {
        let parts = URLParts(text)
        guard let schemeText = parts.scheme else { return .failure(.init(reason: "expected scheme://host[:port]")) }
        let scheme = schemeText.lowercased()
        guard scheme == "http" || scheme == "https" else {
            return .failure(.init(reason: "the scheme must be http or https"))
        }
        // Checked in the order they are written, so the first one in the text is named.
        if parts.userInfo != nil { return .failure(.init(reason: "an origin has no user info")) }
        if !parts.path.isEmpty { return .failure(.init(reason: "an origin has no path (not even a trailing /)")) }
        if parts.query != nil || parts.fragment != nil { return .failure(.init(reason: "an origin has no query or fragment")) }
        let host = parts.host.lowercased()
        let validHost =
            host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2
            || !host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        guard validHost else { return .failure(.init(reason: "the host must be a name or an address")) }
        var port: Int?
        if let portText = parts.port {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                return .failure(.init(reason: "the port must be a number from 1 to 65535"))
            }
            port = number
        }
        let isDefault = port == (scheme == "https" ? 443 : 80)
        return .success("\(scheme)://\(host)" + (port.map { isDefault ? "" : ":\($0)" } ?? ""))
    }
}
