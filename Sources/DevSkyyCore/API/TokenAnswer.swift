/// The answer of a login or a refresh: an access token and the refresh token that replaces it.
public struct TokenAnswer: Codable, Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    /// Always `bearer`.
    public var tokenType: String
    /// Seconds the access token is valid for.
    public var expiresIn: Int64
    /// Seconds the refresh token is valid for.
    public var refreshExpiresIn: Int64
    /// The role's name as the server spells it; a string, so that a client meeting a newer role still logs in.
    public var role: String

    public init(
        accessToken: String, refreshToken: String, tokenType: String = "bearer", expiresIn: Int64, refreshExpiresIn: Int64, role: String
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshExpiresIn = refreshExpiresIn
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshExpiresIn = "refresh_expires_in"
        case role
    }
}

// Interpolated into a log line or an error by mistake, it shows no token.
extension TokenAnswer: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "TokenAnswer(token_type: \(tokenType), expires_in: \(expiresIn), refresh_expires_in: \(refreshExpiresIn), role: \(role), "
            + "tokens: [redacted])"
    }
    public var debugDescription: String { description }
}
