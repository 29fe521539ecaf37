import DevSkyyCore
import DevSkyyStore

/// Refresh families and revoked access tokens, kept in Redis so they survive restarts and are shared by every daemon
/// on the same Redis.
///
/// A login starts a family; each refresh replaces the family's one current refresh token with the next. Presenting a
/// refresh token that is not the current one means it was copied: the whole family is deleted and every token of that
/// login stops refreshing. Redis failures are thrown, and callers refuse the refresh (fail closed).
public struct RefreshTokenStore: Sendable {
    private let client: RedisClient
    private let keys: RedisKeys
    private let now: @Sendable () -> Int64

    /// - Parameter now: unix seconds, for the revocations' expiry.
    public init(client: RedisClient, keys: RedisKeys, now: @escaping @Sendable () -> Int64 = TokenService.systemNow) {
        self.client = client
        self.keys = keys
        self.now = now
    }

    /// What a refresh did.
    public enum Rotation: Sendable, Equatable {
        /// The presented token was the current one; `next` is now.
        case rotated
        /// The presented token had already been used: the family is revoked. `subject` is whom the family was issued
        /// to, for the security event.
        case reused(subject: String)
        /// No such family: expired, revoked, logged out, or never started.
        case unknown
    }

    /// Starts a login's family with its first refresh token.
    public func start(family: String, jti: String, subject: String, ttl: Duration) async throws(RedisError) {
        _ = try await client.transaction([
            ["HSET", keys.refreshFamily(family), "current", jti, "subject", subject],
            ["PEXPIRE", keys.refreshFamily(family), String(Self.milliseconds(ttl))],
        ])
    }

    /// Replaces the family's current token `presented` by `next`, in one round trip (a Lua script, atomic in Redis):
    /// two daemons given the same refresh token at once cannot both rotate it.
    public func rotate(family: String, presented: String, next: String, ttl: Duration) async throws(RedisError) -> Rotation {
        let reply = try await checked(
            client.command([
                "EVAL", Self.rotateScript, "1", keys.refreshFamily(family), presented, next, String(Self.milliseconds(ttl)),
            ]))
        guard let parts = reply.array, let outcome = parts.first?.integer else {
            throw RedisError.reply("unexpected reply to the refresh rotation script")
        }
        switch outcome {
        case 2: return .rotated
        case 1: return .reused(subject: parts.dropFirst().first?.string ?? "")
        default: return .unknown
        }
    }

    /// Revokes a family (logout, or an administrator's action): none of its refresh tokens works from now on.
    public func revokeFamily(_ family: String) async throws(RedisError) {
        _ = try await checked(client.command(["DEL", keys.refreshFamily(family)]))
    }

    /// Revokes one access token until `until` (its `exp`, unix seconds); after that it is refused as expired anyway.
    public func revokeAccess(jti: String, until: Int64) async throws(RedisError) {
        let seconds = until - min(now(), until)
        guard seconds > 0 else { return }
        _ = try await checked(
            client.command(["SET", keys.revokedAccess(jti), "1", "PX", String(Checked.multiplying(seconds, 1_000))]))
    }

    /// Whether the access token with this `jti` was revoked.
    public func isRevoked(jti: String) async throws(RedisError) -> Bool {
        try await checked(client.command(["EXISTS", keys.revokedAccess(jti)])).integer == 1
    }

    private func checked(_ reply: RedisReply) throws(RedisError) -> RedisReply {
        if let message = reply.error { throw RedisError.reply(message) }
        return reply
    }

    static func milliseconds(_ ttl: Duration) -> Int64 {
        max(1, Checked.adding(Checked.multiplying(ttl.components.seconds, 1_000), ttl.components.attoseconds / 1_000_000_000_000_000))
    }

    /// KEYS[1] the family; ARGV: the presented jti, the next jti, the TTL in ms.
    /// Answers {2} rotated, {1, subject} reused (and deletes the family), {0} unknown.
    static let rotateScript = """
        local current = redis.call('HGET', KEYS[1], 'current')
        if not current then return {0} end
        if current ~= ARGV[1] then
          local subject = redis.call('HGET', KEYS[1], 'subject')
          redis.call('DEL', KEYS[1])
          return {1, subject or ''}
        end
        redis.call('HSET', KEYS[1], 'current', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return {2}
        """
}
