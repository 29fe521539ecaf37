/// The `auth:` section: who may call the API over TCP (and over the Unix socket when it asks for tokens), and how
/// their tokens are made.
public struct AuthSettings: Sendable, Equatable {
    /// A person who logs in with a password.
    public struct User: Sendable, Equatable {
        public var username: String
        /// bcrypt, cost 10 or more.
        public var passwordHash: String
        public var role: Role

        public init(username: String, passwordHash: String, role: Role) {
            self.username = username
            self.passwordHash = passwordHash
            self.role = role
        }
    }

    /// A key sent as `X-API-Key`, stored as its SHA-256.
    public struct APIKey: Sendable, Equatable {
        public var name: String
        /// The key's SHA-256 in lowercase hex.
        public var keyHash: String
        public var role: Role

        public init(name: String, keyHash: String, role: Role) {
            self.name = name
            self.keyHash = keyHash
            self.role = role
        }
    }

    /// An OAuth 2.0 client of the client-credentials grant.
    public struct Client: Sendable, Equatable {
        public var clientID: String
        /// bcrypt, cost 10 or more.
        public var secretHash: String
        public var role: Role

        public init(clientID: String, secretHash: String, role: Role) {
            self.clientID = clientID
            self.secretHash = secretHash
            self.role = role
        }
    }

    /// What the Unix socket asks of its callers.
    public enum UnixSocketPolicy: String, Sendable, CaseIterable {
        /// The socket file's mode is the credential: requests act as `orchestration_admin`.
        case trusted
        /// Credentials as on TCP.
        case token
    }

    /// The shortest `jwt_secret`, in bytes: HS256's key should be at least as long as its 256-bit output (RFC 7518
    /// §3.2).
    public static let minimumSecretBytes = 32
    public static let defaultAccessTTL = Duration.seconds(15 * 60)
    public static let defaultRefreshTTL = Duration.seconds(7 * 86_400)

    public var users: [User] = []
    public var apiKeys: [APIKey] = []
    public var clients: [Client] = []
    /// The HS256 key for access and refresh tokens; at least `minimumSecretBytes`. Nil only when neither users nor
    /// clients are configured (API keys need no tokens).
    public var jwtSecret: String?
    public var issuer = "devskyyd"
    public var audience = "devskyy-api"
    public var accessTTL = defaultAccessTTL
    public var refreshTTL = defaultRefreshTTL
    /// Routes that answer on TCP without credentials; empty closes them all.
    public var anonymous = AnonymousRoute.defaults
    public var unixSocket = UnixSocketPolicy.trusted
    /// Says that a TCP listener on a non-loopback address without identities is meant to be open.
    public var allowAnonymousTCP = false

    public init() {}

    /// Whether anyone can present credentials at all.
    public var hasIdentities: Bool { !users.isEmpty || !apiKeys.isEmpty || !clients.isEmpty }

    /// Whether a request with this method and path answers on TCP without credentials.
    public func isAnonymous(method: String, path: String) -> Bool {
        anonymous.contains { $0.matches(method: method, path: path) }
    }
}
