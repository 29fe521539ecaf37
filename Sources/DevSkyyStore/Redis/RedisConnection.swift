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
        for arguments in commands { try append(arguments) }
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

    private func append(_ arguments: [String]) throws(RedisError) {
        // All arguments in one buffer (plus a final NUL so it is never empty); hiredis copies them before returning.
        var bytes: [CChar] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(bytes.count)
            lengths.append(argument.utf8.count)
            bytes.append(contentsOf: argument.utf8.map { CChar(bitPattern: $0) })
        }
        bytes.append(0)
        let status = bytes.withUnsafeBufferPointer { buffer in
            var pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
            return redisAppendCommandArgv(context, Int32(arguments.count), &pointers, &lengths)
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
