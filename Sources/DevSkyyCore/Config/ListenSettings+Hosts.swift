extension ListenSettings {
    /// The `Host` names TCP requests may carry when `listen.allowed_hosts` is not given, besides the listen address.
    public static let loopbackHosts = ["localhost", "127.0.0.1", "[::1]"]

    /// The names a TCP request's `Host` may carry: `allowed_hosts`, or the listen address and the loopback names.
    public var effectiveAllowedHosts: [String] {
        guard allowedHosts.isEmpty else { return allowedHosts }
        guard let tcp else { return Self.loopbackHosts }
        let own = tcp.host.contains(":") ? "[\(tcp.host.lowercased())]" : tcp.host.lowercased()
        return Self.loopbackHosts.contains(own) ? Self.loopbackHosts : [own] + Self.loopbackHosts
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
