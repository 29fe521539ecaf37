/// Who is calling, once a credential has been checked: what the access layer decides on and the audit log names.
public struct Identity: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A configured user, by a login's access token.
        case user
        /// A configured API key, by `X-API-Key`.
        case apiKey = "api_key"
        /// An OAuth 2.0 client, by a client-credentials access token.
        case client
        /// A request on the Unix socket, whose file mode is the credential (`auth.unix_socket: trusted`).
        case unixSocket = "unix_socket"
    }

    /// The username, the API key's name or the client id.
    public var subject: String
    public var kind: Kind
    public var role: Role
    /// The access token's id, for revocation; nil for API keys.
    public var jti: String?
    /// When the credential stops being valid (unix seconds); nil for API keys, which last until the configuration drops them.
    public var expiresAt: Int64?
    /// A user's login session (its refresh family), from the access token's `sid`; nil otherwise.
    public var session: String?

    public init(subject: String, kind: Kind, role: Role, jti: String? = nil, expiresAt: Int64? = nil, session: String? = nil) {
        self.subject = subject
        self.kind = kind
        self.role = role
        self.jti = jti
        self.expiresAt = expiresAt
        self.session = session
    }

    /// The Unix socket's caller under `auth.unix_socket: trusted`.
    public static let unixSocket = Identity(subject: "unix-socket", kind: .unixSocket, role: .orchestrationAdmin)
}
