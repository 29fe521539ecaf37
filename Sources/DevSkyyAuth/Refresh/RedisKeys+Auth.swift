import DevSkyyCore

extension RedisKeys {
    /// A login's refresh family: hash with `current` (the jti of the one refresh token that may still be used) and
    /// `subject`; its TTL is the current refresh token's lifetime. Deleted = revoked.
    public func refreshFamily(_ family: String) -> String { "\(prefix):auth:family:\(family)" }
    /// An access token revoked before its expiry (logout): a string whose PX ends at the token's `exp`.
    public func revokedAccess(_ jti: String) -> String { "\(prefix):auth:revoked:\(jti)" }
}
