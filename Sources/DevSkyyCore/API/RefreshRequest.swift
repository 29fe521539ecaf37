/// The body of `POST /api/v1/auth/refresh`, shared by the server and devskyyctl.
public struct RefreshRequest: Codable, Sendable, Equatable {
    public var refreshToken: String

    public init(refreshToken: String) {
        self.refreshToken = refreshToken
    }

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
    }
}

// Interpolated into a log line or an error by mistake, it shows no token.
extension RefreshRequest: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "RefreshRequest(refresh_token: [redacted])" }
    public var debugDescription: String { description }
}
