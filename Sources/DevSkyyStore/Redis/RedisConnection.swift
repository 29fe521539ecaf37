import CHiredis
import DevSkyyCore
import Glibc

/// One hiredis connection: the only place hiredis is called, and where its errors become `RedisError`.
///
/// Not thread-safe: `RedisClient` confines each connection to its serial queue.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>

    /// Connects, authenticates and selects the database.
    init(endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration) throws(RedisError) {
        let connectTV = Self.timeval(connectTimeout)
        let made: UnsafeMutablePointer<redisContext>?
        switch endpoint {
        case .tcp(let host, let port, _, _, _): made = redisConnectWithTimeout(host, Int32(port), connectTV)
        case .unix(let path, _, _, _): made = redisConnectUnixWithTimeout(path, connectTV)
        }
        guard let made else { throw .connection("cannot allocate a Redis context") }
        guard devskyy_redis_err(made) == 0 else {
            let message = String(cString: devskyy_redis_errstr(made))
            redisFree(made)
            throw .connection("cannot connect to \(endpoint): \(message)")
        }
        context = made
        _ = redisSetTimeout(context, Self.timeval(commandTimeout))
        if case .tcp = endpoint { _ = redisEnableKeepAlive(context) }
        let (username, password) = Self.credentials(endpoint)
        if let password {
            let auth = username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            // The reply to AUTH may echo nothing secret, but keep the text generic anyway.
            if case .error = try command(auth) { throw .connection("Redis refused the credentials of \(endpoint)") }
        }
        if endpoint.db != 0, case .error(let message) = try command(["SELECT", String(endpoint.db)]) {
            throw .connection("SELECT \(endpoint.db) failed: \(message)")
        }
    }

    deinit {
        redisFree(context)
    }

    /// Sends one command and waits for its reply.
    func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try pipeline([arguments])[0]
    }

    /// Sends every command, then reads every reply: one round trip for the batch.
    func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        try append(commands)
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw connectionError() }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.convert(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Queues every command in hiredis's output buffer at once, already in the protocol's form: hiredis would
    /// otherwise format each argument through its own allocations, the writer's main cost per sample.
    private func append(_ commands: [[String]]) throws(RedisError) {
        var encoded = RESPEncoder()
        for arguments in commands { encoded.command(arguments) }
        let status = encoded.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { redisAppendFormattedCommand(context, $0.baseAddress, $0.count) }
        }
        guard status == REDIS_OK else { throw connectionError() }
    }

    private func connectionError() -> RedisError {
        let message = String(cString: devskyy_redis_errstr(context))
        return .connection(message.isEmpty ? "connection to Redis lost" : message)
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        func text() -> String {
            guard let str = r.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: Int(r.len)), as: UTF8.self)
        }
        switch Int32(r.type) {
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_INTEGER: return .integer(r.integer)
        case REDIS_REPLY_ARRAY:
            return .array((0..<Int(r.elements)).map { convert(devskyy_redis_element(reply, $0)) })
        default: return .null
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let ms = duration.milliseconds
        return Glibc.timeval(tv_sec: Int(ms / 1_000), tv_usec: Int(ms % 1_000) * 1_000)
    }

    private static func credentials(_ endpoint: RedisEndpoint) -> (String?, String?) {
        switch endpoint {
        case .tcp(_, _, _, let user, let password), .unix(_, _, let user, let password): (user, password)
        }
    }
}
