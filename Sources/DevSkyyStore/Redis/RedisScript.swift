import NIOConcurrencyHelpers

/// A Lua script called by its SHA (`EVALSHA`, so the source is not sent with every call): loaded on first use, and
/// again when Redis has lost it (a restart, `SCRIPT FLUSH`).
public final class RedisScript: Sendable {
    public let source: String
    private let sha = NIOLockedValueBox<String?>(nil)

    public init(_ source: String) {
        self.source = source
    }

    /// Runs the script: one round trip, two after Redis lost its script cache. An error reply is thrown.
    public func run(on client: RedisClient, keys: [String], arguments: [String]) async throws(RedisError) -> RedisReply {
        let known: String
        if let cached = sha.withLockedValue({ $0 }) { known = cached } else { known = try await load(on: client) }
        var reply = try await client.command(["EVALSHA", known, String(keys.count)] + keys + arguments)
        if reply.error?.hasPrefix("NOSCRIPT") == true {
            reply = try await client.command(["EVALSHA", try await load(on: client), String(keys.count)] + keys + arguments)
        }
        if let message = reply.error { throw .reply(message) }
        return reply
    }

    private func load(on client: RedisClient) async throws(RedisError) -> String {
        let reply = try await client.command(["SCRIPT", "LOAD", source])
        guard let loaded = reply.string else { throw .reply(reply.error ?? "SCRIPT LOAD answered \(reply)") }
        sha.withLockedValue { $0 = loaded }
        return loaded
    }
}
