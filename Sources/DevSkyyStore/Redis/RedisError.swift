/// A failure talking to Redis. Messages never hold passwords.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable {
        case connection
        case reply
    }

    let code: Code
    public let message: String

    static func connection(_ message: String) -> RedisError { .init(code: .connection, message: message) }
    static func reply(_ message: String) -> RedisError { .init(code: .reply, message: message) }

    /// True when the connection is unusable and must be opened again.
    public var isConnectionError: Bool { code == .connection }

    public var description: String { message }
}
