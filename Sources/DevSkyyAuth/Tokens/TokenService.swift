import DevSkyyCore
import Foundation
import JWTKit

/// Issues and verifies the daemon's JWTs: access tokens in RFC 9068's profile and single-use refresh tokens, both HS256.
public final class TokenService: Sendable {
    /// Longer input is refused before anything parses it; our tokens are about 400 bytes.
    public static let maximumTokenBytes = 4096
    /// How far in the future `nbf` and `iat` may be, for clocks of several daemons that differ a little. `exp` has none:
    /// a token is refused from its expiry on.
    public static let clockSkewLeeway: Int64 = 30
    /// The longest `sub` accepted: usernames, key names and client ids are short.
    static let maximumSubjectBytes = 256

    let settings: TokenSettings
    let keys: JWTKeyCollection
    /// Unix seconds; injected so tests can move time.
    let now: @Sendable () -> Int64

    /// - Throws: `TokenSettingsError` when the settings are unusable, in particular a secret shorter than 32 bytes,
    ///   which jwt-kit would only catch with an assertion.
    public init(settings: TokenSettings, now: @escaping @Sendable () -> Int64 = TokenService.systemNow) async throws(TokenSettingsError) {
        if let problem = settings.problem { throw TokenSettingsError(message: problem) }
        self.settings = settings
        self.now = now
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: settings.secret), digestAlgorithm: .sha256)
    }

    /// How long a refresh token (and so a login's session in Redis) lasts.
    public var refreshTTL: Duration { settings.refreshTTL }

    @Sendable public static func systemNow() -> Int64 { Int64(time(nil)) }

    /// A fresh access token for a user (`clientID` nil) or an OAuth client (`clientID` is its id, also the subject);
    /// `session` is the refresh family of a user's login, which a logout revokes with the token.
    public func issueAccess(subject: String, role: Role, clientID: String? = nil, session: String? = nil) async throws -> IssuedToken {
        try await issue(kind: .access, subject: subject, ttl: settings.accessTTL) {
            $0.role = role.rawValue
            $0.clientID = clientID
            $0.sid = session
        }
    }

    /// A fresh refresh token of `family` (a login's chain, see `RefreshTokenStore`).
    public func issueRefresh(subject: String, family: String) async throws -> IssuedToken {
        try await issue(kind: .refresh, subject: subject, ttl: settings.refreshTTL) { $0.fam = family }
    }

    /// A new refresh family id, for a login.
    public static func newFamily() -> String { RandomID.make() }

    private func issue(kind: TokenKind, subject: String, ttl: Duration, _ fill: (inout TokenClaims) -> Void) async throws -> IssuedToken {
        let issuedAt = now()
        let expiresAt = Checked.adding(issuedAt, ttl.wholeSeconds)
        var claims = TokenClaims(
            iss: settings.issuer, aud: Audience([settings.audience]), sub: subject, exp: Double(expiresAt), iat: Double(issuedAt),
            nbf: Double(issuedAt), jti: RandomID.make())
        fill(&claims)
        let header: JWTHeader = ["alg": .string(TokenHeader.algorithm), "typ": .string(kind.rawValue)]
        let token = try await keys.sign(claims, header: header)
        return IssuedToken(token: token, jti: claims.jti, expiresAt: expiresAt, expiresIn: ttl.wholeSeconds)
    }
}

/// A token as handed to a client, with what the answer and the revocation need.
public struct IssuedToken: Sendable {
    public let token: String
    public let jti: String
    /// Unix seconds.
    public let expiresAt: Int64
    /// Seconds, for `expires_in` / `refresh_expires_in`.
    public let expiresIn: Int64
}

/// Settings a `TokenService` cannot be built from; the message names the setting, never the secret.
public struct TokenSettingsError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
