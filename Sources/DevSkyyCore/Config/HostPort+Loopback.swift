extension HostPort {
    /// Whether the address only the machine itself can reach: `localhost`, 127.0.0.0/8, `::1` (in any spelling) or
    /// `::ffff:127.x.y.z`. Anything else, host names included, counts as reachable from outside.
    public var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" { return true }
        if let v4 = ipv4(host[...]) { return v4[0] == 127 }
        if host.hasPrefix("::ffff:"), let v4 = ipv4(host.dropFirst(7)) { return v4[0] == 127 }
        guard let groups = ipv6Groups(host) else { return false }
        return groups.dropLast().allSatisfy { $0 == 0 } && groups.last == 1
    }

    /// The four bytes of a dotted quad, or nil.
    private static func ipv4(_ text: Substring) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let byte = Checked.int(part), byte <= 255 else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The eight groups of an IPv6 address in hex groups (with at most one `::`), or nil.
    private static func ipv6Groups(_ text: String) -> [Int]? {
        func groups(_ half: Substring) -> [Int]? {
            guard !half.isEmpty else { return [] }
            var result: [Int] = []
            for part in half.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isHexDigit })
                else { return nil }
                // Four hex digits at most: no overflow.
                result.append(part.reduce(0) { $0 * 16 + ($1.hexDigitValue ?? 0) })
            }
            return result
        }
        guard let gap = text.firstRange(of: "::") else {
            guard let all = groups(text[...]), all.count == 8 else { return nil }
            return all
        }
        let rest = text[gap.upperBound...]
        guard rest.firstRange(of: "::") == nil, let head = groups(text[..<gap.lowerBound]), let tail = groups(rest),
            head.count + tail.count < 8
        else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
