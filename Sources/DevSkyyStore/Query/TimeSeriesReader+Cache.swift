import DevSkyyCore

/// The results cache: an answered range is kept in Redis for a short while, so dashboards that
/// refresh often, and several instances behind one Redis, read each range once.
extension TimeSeriesReader {
    /// A range's encoded answer and whether it came from the cache.
    public struct CachedRange: Sendable {
        public let body: [UInt8]
        public let hit: Bool
    }

    /// Seconds a range answer is cached: ranges of a day or more (reports) change slowly.
    public static func cacheTTL(span: Int64) -> Int {
        span >= 86_400_000 ? 300 : 30
    }

    /// `{prefix}:cache:range:{hash}`, the hash (FNV-1a, 64 bits, hex) taken over `query.normalized`.
    public func cacheKey(for query: RangeQuery) -> String {
        let hex = String(FNV1a.hash(query.normalized.utf8), radix: 16)
        return "\(keys.prefix):cache:range:\(String(repeating: "0", count: 16 - hex.count))\(hex)"
    }

    /// The cached answer to the query, or a fresh one (read, encoded, then cached).
    ///
    /// The cached value is the normalized query, a newline, then the body: a hash collision reads as a miss.
    /// - Throws: as `range(_:now:)`; a query that fails is never cached.
    public func cachedRange(_ query: RangeQuery, now: Int64, encode: (RangeResult) -> [UInt8]) async throws -> CachedRange {
        let bounds = try query.bounds(now: now)
        let key = cacheKey(for: query)
        let header = query.normalized + "\n"
        if let cached = try await client.command(["GET", key]).string, cached.hasPrefix(header) {
            return CachedRange(body: Array(cached.utf8.dropFirst(header.utf8.count)), hit: true)
        }
        let body = encode(try await range(query, now: now))
        let ttl = Self.cacheTTL(span: bounds.upperBound - bounds.lowerBound)
        // A failed cache write costs only a later re-read: the answer stands.
        _ = try? await client.command(["SET", key, header + String(decoding: body, as: UTF8.self), "EX", String(ttl)])
        return CachedRange(body: body, hit: false)
    }
}
