import Foundation

/// The structural checks made before jwt-kit sees a token (RFC 8725 §3.1, §3.11): jwt-kit verifies with the key it
/// holds whatever the header's `alg` says, and would look a `kid` up, so the header is read and judged here first.
enum TokenHeader {
    /// The only algorithm accepted. A header saying anything else (`none`, RS256, HS512, …) is refused even when the
    /// signature is a valid HS256 one: the allow-list is what stops algorithm confusion.
    static let algorithm = "HS256"
    /// Every member a header may have. We never write `kid`, `jku`, `jwk`, `x5u`, `x5c` or `crit`, so a token that has
    /// one was not made by us, and nothing it says about keys is looked at.
    static let allowedMembers: Set<String> = ["alg", "typ"]

    /// Checks the compact form (three non-empty base64url parts) and the header; the payload and signature are left to jwt-kit.
    static func check(_ token: String, kind: TokenKind) throws(TokenError) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .malformed("not three dot-separated parts")
        }
        guard parts.allSatisfy({ $0.utf8.allSatisfy(Base64URL.isAlphabet) }) else {
            throw .malformed("a part is not base64url")
        }
        guard let json = Base64URL.decode(parts[0]),
            let header = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
        else {
            throw .malformed("the header is not a JSON object")
        }
        guard Set(header.keys).isSubset(of: allowedMembers) else {
            throw .malformed("the header has members other than alg and typ")
        }
        guard let alg = header["alg"] as? String, alg == algorithm else {
            throw .init(.algorithm, "alg is not \(algorithm)")
        }
        guard let typ = header["typ"] as? String, kind.matches(typ) else {
            throw .init(.type, "typ is not \(kind.rawValue)")
        }
        // Checked after alg, so that `alg: none` with its empty signature is logged as the algorithm attack it is.
        guard !parts[2].isEmpty else { throw .malformed("no signature") }
    }
}
