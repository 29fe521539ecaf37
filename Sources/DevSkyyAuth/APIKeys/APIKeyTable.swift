import DevSkyyCore

/// The configured API keys, by their hashes: finds the identity of a presented `X-API-Key`.
public struct APIKeyTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// `APIKey.hash` of the key.
        public var keyHash: String
        public var role: Role

        public init(name: String, keyHash: String, role: Role) {
            self.name = name
            self.keyHash = keyHash
            self.role = role
        }
    }

    private let entries: [(entry: Entry, hash: [UInt8])]

    public init(_ entries: [Entry]) {
        self.entries = entries.map { ($0, Array($0.keyHash.lowercased().utf8)) }
    }

    /// The identity of the key, or nil when no configured key has its hash.
    ///
    /// Every entry is compared, each in constant time, so how long this takes says nothing about which hashes (or how
    /// much of one) matched.
    public func identity(for key: String) -> Identity? {
        guard !key.isEmpty, key.utf8.count <= APIKey.maximumBytes else { return nil }
        let presented = Array(APIKey.hash(key).utf8)
        var found: Entry?
        for candidate in entries where Self.constantTimeEqual(candidate.hash, presented) {
            found = found ?? candidate.entry
        }
        return found.map { Identity(subject: $0.name, kind: .apiKey, role: $0.role) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
