/// The body of `POST /api/v1/auth/login`, shared by the server and devskyyctl.
public struct LoginRequest: Codable, Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

// Interpolated into a log line or an error by mistake, it shows no password.
extension LoginRequest: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "LoginRequest(username: \(username), password: [redacted])" }
    public var debugDescription: String { description }
}
