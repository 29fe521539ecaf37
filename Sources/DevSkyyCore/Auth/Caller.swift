/// Who a request acts for, once the access layer has checked its credentials.
public struct Caller: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A configured user, by a token from `/api/v1/auth/login`.
        case user
        /// A configured API key, sent as `X-API-Key`.
        case apiKey = "api_key"
        /// An OAuth 2.0 client, by a token from `/api/v1/auth/token`.
        case client
        /// A request on the Unix socket, whose file mode is the credential (`auth.unix_socket: trusted`).
        case unixSocket = "unix_socket"
    }

    /// The username, API key name or client id; what rate limits count by and the audit log names.
    public var name: String
    public var kind: Kind
    public var role: Role

    public init(name: String, kind: Kind, role: Role) {
        self.name = name
        self.kind = kind
        self.role = role
    }

    /// The Unix socket's caller under `auth.unix_socket: trusted`.
    public static let unixSocket = Caller(name: "unix-socket", kind: .unixSocket, role: .orchestrationAdmin)
}
