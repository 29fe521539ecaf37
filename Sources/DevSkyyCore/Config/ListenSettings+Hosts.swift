extension ListenSettings {
    /// The `Host` names TCP requests may carry when `listen.allowed_hosts` is not given, besides the listen address.
    public static let loopbackHosts = ["localhost", "127.0.0.1", "[::1]"]

    /// The longest `Host` header read: a name is at most 253 bytes, a port 6 more; anything longer is refused.
    static let maxHostHeaderBytes = 300

    /// The names a TCP request's `Host` may carry: `allowed_hosts`, or the listen address and the loopback names.
    public var effectiveAllowedHosts: [String] {
        guard allowedHosts.isEmpty else { return allowedHosts }
        guard let tcp else { return Self.loopbackHosts }
        let own = tcp.host.contains(":") ? "[\(tcp.host.lowercased())]" : tcp.host.lowercased()
        return Self.loopbackHosts.contains(own) ? Self.loopbackHosts : [own] + Self.loopbackHosts
    }

    /// Whether a TCP request with this `Host` header is for us. Answering any other name is what lets a web page
    /// reach the daemon through DNS rebinding: its requests carry the attacker's name.
    public func allowsHost(_ hostHeader: String) -> Bool {
        guard let host = Self.hostWithoutPort(hostHeader) else { return false }
        if allowedHosts.isEmpty {
            // Spelled out rather than through `effectiveAllowedHosts`, which builds an array: this runs per request.
            if Self.loopbackHosts.contains(host) { return true }
            guard let tcp else { return false }
            return tcp.host.contains(":") ? host == "[\(tcp.host.lowercased())]" : host == tcp.host.lowercased()
        }
        return allowedHosts.contains(host)
    }

    /// The host part of a `Host` header, lowercased (`[::1]:9464` → `[::1]`); nil when the header is not
    /// `host[:port]` in printable ASCII, or is empty, or longer than any host name.
    static func hostWithoutPort(_ header: String) -> String? {
        let utf8 = header.utf8
        guard !utf8.isEmpty, utf8.count <= maxHostHeaderBytes, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let host: Substring
        let rest: Substring
        if header.hasPrefix("[") {
            guard let close = header.firstIndex(of: "]") else { return nil }
            host = header[...close]
            rest = header[header.index(after: close)...]
        } else if let colon = header.firstIndex(of: ":") {
            host = header[..<colon]
            rest = header[colon...]
        } else {
            host = header[...]
            rest = ""
        }
        if !rest.isEmpty {
            let port = rest.dropFirst()
            guard rest.first == ":", (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        guard !host.isEmpty, host != "[]" else { return nil }
        return host.lowercased()
    }

    /// Why `text` cannot be an entry of `listen.allowed_hosts`, or nil when it can.
    static func allowedHostProblem(_ text: String) -> String? {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count > 2,
                text.dropFirst().dropLast().allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") })
            else { return "an IPv6 address in brackets holds only hex digits, ':' and '.'" }
            return nil
        }
        if text.contains(":") {
            return text.filter({ $0 == ":" }).count > 1
                ? "write an IPv6 address in brackets, as [::1]" : "give the host without its port: hosts are matched without it"
        }
        guard !text.isEmpty, text.utf8.count <= 253,
            text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else { return "a host name holds only letters, digits, '-' and '.' (at most 253)" }
        return nil
    }
}
