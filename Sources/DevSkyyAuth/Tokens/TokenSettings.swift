/// What the token service needs from the `auth:` configuration: the HS256 secret, who issues and who accepts the
/// tokens, and how long each kind lives.
public struct TokenSettings: Sendable {
    /// The HMAC secret; at least `minimumSecretBytes` long.
    public var secret: [UInt8]
    public var issuer: String
    public var audience: String
    public var accessTTL: Duration
    public var refreshTTL: Duration

    /// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. jwt-kit only `assert`s this (a trap in
    /// debug builds, nothing in release), so `TokenService.init` refuses shorter secrets before jwt-kit sees them.
    public static let minimumSecretBytes = 32

    public init(
        secret: [UInt8], issuer: String, audience: String, accessTTL: Duration = .seconds(15 * 60),
        refreshTTL: Duration = .seconds(7 * 24 * 3600)
    ) {
        self.secret = secret
        self.issuer = issuer
        self.audience = audience
        self.accessTTL = accessTTL
        self.refreshTTL = refreshTTL
    }

    /// The first thing wrong with these settings, or nil when a `TokenService` can be built from them.
    public var problem: String? {
        if secret.count < Self.minimumSecretBytes {
            return "jwt_secret must be at least \(Self.minimumSecretBytes) bytes (it has \(secret.count))"
        }
        if issuer.isEmpty { return "issuer must not be empty" }
        if audience.isEmpty { return "audience must not be empty" }
        if accessTTL < .seconds(1) { return "access_ttl must be at least 1s" }
        if refreshTTL < .seconds(1) { return "refresh_ttl must be at least 1s" }
        return nil
    }
}

extension Duration {
    /// Whole seconds, rounded down; what the `exp` claim and `expires_in` count in.
    var wholeSeconds: Int64 { components.seconds }
}
