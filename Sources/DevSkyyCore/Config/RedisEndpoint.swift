/// Where Redis lives: `redis://[user:password@]host:port/db` or `redis+unix:///path?db=N`.
public enum RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    case tcp(host: String, port: Int, db: Int, username: String?, password: String?)
    case unix(path: String, db: Int, username: String?, password: String?)

    /// Parses a Redis URL; the error text never repeats the URL, which may hold a password.
    public static func parse(_ text: String) -> Result<RedisEndpoint, RedisURLError> {
        if text.hasPrefix("redis+unix://") {
            var rest = Substring(text.dropFirst("redis+unix://".count))
            let (username, password) = credentials(&rest)
            var db = 0
            if let q = rest.firstIndex(of: "?") {
                let query = rest[rest.index(after: q)...]
                rest = rest[..<q]
                for pair in query.split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[0] == "db", let n = Int(parts[1]), n >= 0 else {
                        return .failure(.init("only the query parameter db=N is understood"))
                    }
                    db = n
                }
            }
            guard rest.hasPrefix("/") else { return .failure(.init("redis+unix:// needs an absolute socket path")) }
            return .success(.unix(path: String(rest), db: db, username: username, password: password))
        }
        guard text.hasPrefix("redis://") else {
            return .failure(.init("the scheme must be redis:// or redis+unix://"))
        }
        var rest = Substring(text.dropFirst("redis://".count))
        let (username, password) = credentials(&rest)
        var db = 0
        if let slash = rest.firstIndex(of: "/") {
            let dbText = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !dbText.isEmpty {
                guard let n = Int(dbText), n >= 0 else { return .failure(.init("the database must be a number")) }
                db = n
            }
        }
        var host = String(rest)
        var port = 6379
        if let hostPort = HostPort.parse(host) {
            host = hostPort.host
            port = hostPort.port
        } else if host.contains(":") && !host.hasPrefix("[") {
            return .failure(.init("the port must be a number from 1 to 65535"))
        }
        guard !host.isEmpty, port > 0 else { return .failure(.init("a host and port are needed")) }
        return .success(.tcp(host: host, port: port, db: db, username: username, password: password))
    }

    private static func credentials(_ rest: inout Substring) -> (String?, String?) {
        guard let at = rest.lastIndex(of: "@") else { return (nil, nil) }
        let userInfo = rest[..<at]
        rest = rest[rest.index(after: at)...]
        guard let colon = userInfo.firstIndex(of: ":") else {
            return (nil, userInfo.isEmpty ? nil : String(userInfo))
        }
        let user = userInfo[..<colon]
        let password = userInfo[userInfo.index(after: colon)...]
        return (user.isEmpty ? nil : String(user), password.isEmpty ? nil : String(password))
    }

    public var db: Int {
        switch self {
        case .tcp(_, _, let db, _, _), .unix(_, let db, _, _): db
        }
    }

    /// The endpoint with any password masked, for logs and status output.
    public var description: String {
        switch self {
        case .tcp(let host, let port, let db, let user, let password):
            let auth = password == nil ? "" : "\(user ?? ""):***@"
            return "redis://\(auth)\(HostPort(host: host, port: port))/\(db)"
        case .unix(let path, let db, let user, let password):
            let auth = password == nil ? "" : "\(user ?? ""):***@"
            return "redis+unix://\(auth)\(path)?db=\(db)"
        }
    }
}

public struct RedisURLError: Error, Sendable, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
