import Crypto

/// API keys: `dsk_` and 32 random bytes in base64url, shown once; the configuration keeps only their SHA-256.
public enum APIKey {
    /// Marks our keys, so a leaked one is recognisable to secret scanners and to people.
    public static let prefix = "dsk_"
    /// Presented keys longer than this are refused before hashing; ours are 47 bytes.
    public static let maximumBytes = 256

    /// A new key from the system's CSPRNG.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The SHA-256 of the key's UTF-8 bytes in lowercase hex: the configuration's `key_hash`.
    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Array(key.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` is a `key_hash` as `hash` writes it: 64 lowercase hex digits.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }
}
