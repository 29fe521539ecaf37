/// A failure talking to Redis. Messages never hold passwords.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable {
        case connection
        case reply
    }

    let code: Code
    public let message: String

    static func connection(_ message: String) -> RedisError { .init(code: .connection, message: message) }
    /// An error reply, for stores in other modules that read replies themselves (scripts, single commands).
    public static func reply(_ message: String) -> RedisError { .init(code: .reply, message: message) }

    /// True when the connection is unusable and must be opened again.
    public var isConnectionError: Bool { code == .connection }

    /// True when the same command may succeed later: the connection failed, or Redis answered that it cannot
    /// take writes for now (loading its data after a restart, out of memory, a script still running, a replica).
    public var isRetryable: Bool {
        code == .connection || Self.transientReplies.contains { message.hasPrefix($0) }
    }

    static let transientReplies = ["LOADING", "BUSY", "MISCONF", "OOM", "READONLY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "NOREPLICAS"]

    public var description: String { message }
}
