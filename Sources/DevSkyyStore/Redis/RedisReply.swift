/// One Redis reply, copied out of hiredis's reply object.
public enum RedisReply: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case array([RedisReply])
    case status(String)
    case error(String)
    case null

    public var string: String? {
        switch self {
        case .string(let text), .status(let text): text
        default: nil
        }
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The message of an error reply.
    public var error: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    public var array: [RedisReply]? {
        if case .array(let values) = self { return values }
        return nil
    }
}
