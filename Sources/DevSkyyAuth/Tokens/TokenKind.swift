/// The two kinds of token, told apart by the header's `typ` so that neither passes as the other (RFC 8725 §3.11).
public enum TokenKind: String, Sendable {
    /// RFC 9068's access token.
    case access = "at+jwt"
    /// Ours: only `POST /api/v1/auth/refresh` accepts it.
    case refresh = "refresh+jwt"

    /// Whether a header's `typ` names this kind: RFC 9068 §4 also allows the `application/` form, and media types
    /// compare without regard to case.
    func matches(_ typ: String) -> Bool {
        let lowered = typ.lowercased()
        return lowered == rawValue || lowered == "application/" + rawValue
    }
}
