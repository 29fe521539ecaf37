/// Random identifiers for `jti` and refresh families: 128 bits from the system's CSPRNG, base64url without padding.
enum RandomID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// What `make()` produces, with room for longer ids: they become parts of Redis key names, so nothing else passes.
    static func isWellFormed(_ id: String) -> Bool {
        (16...64).contains(id.utf8.count) && id.utf8.allSatisfy(Base64URL.isAlphabet)
    }
}
