/// Checks that the hashes written in the `auth:` section have the shape their verifiers need, so a mistake shows at
/// `--check-config` rather than as a login that can never succeed. Every problem is said without the hash itself.
public enum CredentialHash {
    /// The lowest bcrypt cost accepted: below 10 a stolen configuration is cheap to brute-force.
    public static let minimumBcryptCost = 10
    /// bcrypt's own upper bound (2^31 rounds).
    public static let maximumBcryptCost = 31

    /// Why `text` is not a bcrypt hash (`$2b$12$` and 53 characters of `./A-Za-z0-9`), or nil when it is one.
    public static func bcryptProblem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 60 else {
            return "not a bcrypt hash: expected 60 characters ($2b$, a two-digit cost, $, 53 more), found \(bytes.count)"
        }
        guard bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$")
        else {
            return "not a bcrypt hash: it must start with $2a$, $2b$ or $2y$"
        }
        guard isDigit(bytes[4]), isDigit(bytes[5]), bytes[6] == UInt8(ascii: "$") else {
            return "not a bcrypt hash: a two-digit cost and '$' must follow the version (as in $2b$12$)"
        }
        // Both are digits (checked above), so each difference is 0...9.
        let cost = Int(truncatingIfNeeded: bytes[4] - UInt8(ascii: "0")) * 10 + Int(truncatingIfNeeded: bytes[5] - UInt8(ascii: "0"))
        guard cost >= minimumBcryptCost else {
            return "bcrypt cost \(cost) is too low: use at least \(minimumBcryptCost) (devskyyctl hash-password does)"
        }
        guard cost <= maximumBcryptCost else { return "bcrypt cost \(cost) is above bcrypt's maximum of \(maximumBcryptCost)" }
        guard bytes[7...].allSatisfy(isBcryptBase64) else {
            return "not a bcrypt hash: the salt and digest hold characters outside bcrypt's alphabet (./A-Za-z0-9)"
        }
        return nil
    }

    /// Why `text` is not a SHA-256 digest in lowercase hex (64 characters), or nil when it is one.
    public static func sha256HexProblem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 64 else {
            return "expected the key's SHA-256 as 64 lowercase hex characters, found \(bytes.count) characters"
        }
        guard bytes.allSatisfy({ isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }) else {
            let upper = bytes.allSatisfy { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }
            return upper
                ? "the SHA-256 must be written in lowercase hex" : "expected the key's SHA-256 as lowercase hex (0-9, a-f only)"
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isBcryptBase64(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}
