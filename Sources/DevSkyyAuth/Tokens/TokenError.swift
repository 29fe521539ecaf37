/// Why a presented token was refused. Outside (`description`, answers, `WWW-Authenticate`) it is only `invalid_token`;
/// `reason` is for the audit log and never holds the token or any part of it.
public struct TokenError: Error, Sendable, CustomStringConvertible, Equatable {
    enum Code: String, Sendable {
        case oversized
        case malformed
        case algorithm
        case type
        case signature
        case issuer
        case audience
        case expired
        case notYetValid
        case role
        case revoked
    }

    let code: Code
    /// A short phrase naming the check that failed, for the audit log.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The RFC 6750 error code: all a client is told.
    public var description: String { "invalid_token" }

    /// True when the token was well formed and correctly signed but is past its `exp`: a client may refresh.
    public var isExpired: Bool { code == .expired }

    static func malformed(_ reason: String) -> TokenError { .init(.malformed, reason) }
}
