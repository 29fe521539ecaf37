import DevSkyyAuth
import DevSkyyCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Resolves a request's credentials: an `X-API-Key`, or an `Authorization: Bearer` access token (verified once, then
/// served from `VerifiedTokenCache` until its expiry or the cache's age bound, and refused once revoked).
public final class Authenticator: Sendable {
    static let apiKeyField = HTTPField.Name("X-API-Key")!

    let tokens: TokenService?
    let keys: APIKeyTable
    let cache: VerifiedTokenCache
    let revocations: RefreshTokenStore?
    let logger: Logger

    /// - Parameters:
    ///   - tokens: nil without a `jwt_secret` (API keys only): every bearer token is then refused.
    ///   - revocations: where logouts are recorded; nil in tests without Redis.
    public init(
        tokens: TokenService?, keys: APIKeyTable, cache: VerifiedTokenCache = VerifiedTokenCache(), revocations: RefreshTokenStore?,
        logger: Logger
    ) {
        self.tokens = tokens
        self.keys = keys
        self.cache = cache
        self.revocations = revocations
        self.logger = logger
    }

    public func resolve(_ request: Request) async -> AccessPolicy.Credentials {
        if let known = resolveNow(request.headers, logging: true) { return known }
        // `resolveNow` leaves only a well-formed bearer token it has not verified before, with a token service.
        guard let authorization = request.headers[.authorization], let token = Self.bearerToken(authorization), let tokens else {
            return .invalid
        }
        let identity: Identity
        do {
            identity = try await tokens.verifyAccess(token)
        } catch {
            logger.info("access: bearer token refused", metadata: ["reason": "\(error.reason)"])
            return .invalid
        }
        if let jti = identity.jti, let revocations {
            do {
                if try await revocations.isRevoked(jti: jti) {
                    logger.info("access: a revoked access token", metadata: ["subject": "\(identity.subject)"])
                    return .invalid
                }
            } catch {
                // Without Redis a logout cannot be checked: the token stands until it expires (access_ttl at most),
                // rather than every caller being locked out while Redis is away. Not cached, so it is asked again.
                logger.warning("access: cannot check revocations while Redis is away", metadata: ["subject": "\(identity.subject)"])
                return .valid(identity)
            }
        }
        cache.store(identity, for: token)
        return .valid(identity)
    }

    /// What `fields` come to without waiting: no credentials, an API key (a hash and a table lookup), a bearer token
    /// this daemon verified before (`VerifiedTokenCache`), or one it cannot verify at all; nil for a bearer token that
    /// needs verifying (`resolve` does, off the event loop). The fast path calls it without `logging`: what it refuses
    /// goes on to the router, which resolves and logs it once.
    public func resolveNow(_ fields: HTTPFields, logging: Bool = false) -> AccessPolicy.Credentials? {
        if let key = fields[Self.apiKeyField] {
            guard let identity = keys.identity(for: key) else {
                if logging { logger.info("access: an X-API-Key matches no configured key") }
                return .invalid
            }
            return .valid(identity)
        }
        guard let authorization = fields[.authorization] else { return AccessPolicy.Credentials.none }
        guard let token = Self.bearerToken(authorization), tokens != nil else {
            if logging { logger.info("access: an Authorization field that is not a bearer token this daemon issues") }
            return .invalid
        }
        return cache.identity(for: token).map { .valid($0) }
    }

    /// The token of `Bearer <token>` (the scheme in any case, RFC 7235, then spaces or tabs), or nil. Read byte by byte:
    /// this runs on every request the fast path answers with a token, where splitting, lowercasing and Foundation's
    /// trimming took a quarter of the CPU (bench/query).
    static func bearerToken(_ field: String) -> String? {
        let bytes = field.utf8
        var index = bytes.startIndex
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while index < bytes.endIndex, isBlank(bytes[index]) { index = bytes.index(after: index) }
        for expected in "bearer".utf8 {
            // ASCII letters only: setting bit 5 lowercases them.
            guard index < bytes.endIndex, bytes[index] | 0x20 == expected else { return nil }
            index = bytes.index(after: index)
        }
        guard index < bytes.endIndex, isBlank(bytes[index]) else { return nil }
        while index < bytes.endIndex, isBlank(bytes[index]) { index = bytes.index(after: index) }
        var end = bytes.endIndex
        while end > index, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        guard index < end else { return nil }
        return String(field[index..<end])
    }

    /// Forgets a token this daemon verified, so its revocation applies at once here.
    func forget(jti: String) { cache.evict(jti: jti) }
}
