import DevSkyyCore
import NIOConcurrencyHelpers

/// Access tokens already verified, by their exact text, so the fast path skips the HMAC and JSON work on repeat requests.
///
/// An entry is never returned at or past its token's `exp`, nor more than `maximumAge` after it was stored: the bound
/// on how long a revocation made by another daemon on the same Redis can go unseen here (`evict(jti:)` removes one at
/// once on this daemon). At most `capacity` entries are held; when full, expired ones go first, then a tenth, arbitrary.
public final class VerifiedTokenCache: Sendable {
    public static let defaultCapacity = 10_000
    public static let defaultMaximumAge: Int64 = 30

    private struct Entry {
        var identity: Identity
        /// Unix seconds from which the entry is no longer returned.
        var until: Int64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var tokensByJTI: [String: String] = [:]

        mutating func remove(_ token: String) {
            guard let entry = entries.removeValue(forKey: token) else { return }
            if let jti = entry.identity.jti { tokensByJTI[jti] = nil }
        }
    }

    public let capacity: Int
    public let maximumAge: Int64
    private let now: @Sendable () -> Int64
    private let state = NIOLockedValueBox(State())

    public init(
        capacity: Int = VerifiedTokenCache.defaultCapacity, maximumAge: Int64 = VerifiedTokenCache.defaultMaximumAge,
        now: @escaping @Sendable () -> Int64 = TokenService.systemNow
    ) {
        self.capacity = max(1, capacity)
        self.maximumAge = max(0, maximumAge)
        self.now = now
    }

    /// The identity stored for this exact token, if it is still within its time.
    public func identity(for token: String) -> Identity? {
        let now = now()
        return state.withLockedValue { state in
            guard let entry = state.entries[token] else { return nil }
            guard now < entry.until else {
                state.remove(token)
                return nil
            }
            return entry.identity
        }
    }

    /// Remembers a token `TokenService.verifyAccess` accepted. Identities without an expiry (API keys) are not tokens
    /// and are not stored.
    public func store(_ identity: Identity, for token: String) {
        guard let expiresAt = identity.expiresAt else { return }
        let now = now()
        let until = min(expiresAt, Checked.adding(now, maximumAge))
        guard now < until else { return }
        state.withLockedValue { state in
            state.remove(token)
            if state.entries.count >= capacity {
                // A sweep costs a pass over every entry, so when it frees nothing a tenth goes at once, and the next
                // sweep is that many stores away.
                state.entries.filter { now >= $0.value.until }.keys.forEach { state.remove($0) }
                if state.entries.count >= capacity {
                    state.entries.keys.prefix(max(1, capacity / 10)).forEach { state.remove($0) }
                }
            }
            state.entries[token] = Entry(identity: identity, until: until)
            if let jti = identity.jti { state.tokensByJTI[jti] = token }
        }
    }

    /// Forgets the token with this `jti`, when its access was revoked (logout).
    public func evict(jti: String) {
        state.withLockedValue { state in
            if let token = state.tokensByJTI[jti] { state.remove(token) }
        }
    }

    /// How many entries are held, expired ones included until they are looked up or pushed out.
    public var count: Int { state.withLockedValue { $0.entries.count } }
}
