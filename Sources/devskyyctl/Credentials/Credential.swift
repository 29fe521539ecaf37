/// What proves the caller to the daemon, and where it came from: errors name the origin, never the value.
enum Credential {
    case none
    case token(String, origin: String)
    case apiKey(String, origin: String)
    /// The login `devskyyctl login` kept for this daemon.
    case login(StoredLogin, store: TokenStore)

    /// The first that is given: an option, else an environment variable, else a kept login.
    static func resolve(_ connection: Connection, environment: ClientEnvironment) throws -> Credential {
        let chosen: Credential
        if let token = connection.token {
            chosen = .token(token, origin: "--token")
        } else if let key = connection.apiKey {
            chosen = .apiKey(key, origin: "--api-key")
        } else if environment.token != nil && environment.apiKey != nil {
            throw DaemonAnswer("DEVSKYY_TOKEN and DEVSKYY_API_KEY are both set: unset one, or give --token or --api-key")
        } else if let token = environment.token {
            chosen = .token(token, origin: "DEVSKYY_TOKEN")
        } else if let key = environment.apiKey {
            chosen = .apiKey(key, origin: "DEVSKYY_API_KEY")
        } else if case .success(let store) = TokenStore.locate(environment), let login = try store.load(connection.address) {
            return .login(login, store: store)
        } else {
            return .none
        }
        if let origin = chosen.origin, !chosen.headers.values.allSatisfy(Self.isFieldValue) {
            // A line break here would add header fields of its own to the request.
            throw DaemonAnswer("the credential from \(origin) holds characters a header field cannot carry")
        }
        return chosen
    }

    /// The header field that carries it.
    var headers: [String: String] {
        switch self {
        case .none: [:]
        case .token(let token, _): ["Authorization": "Bearer \(token)"]
        case .apiKey(let key, _): ["X-API-Key": key]
        case .login(let login, _): ["Authorization": "Bearer \(login.accessToken)"]
        }
    }

    /// Where it came from, as errors say it.
    var origin: String? {
        switch self {
        case .none: nil
        case .token(_, let origin), .apiKey(_, let origin): origin
        case .login(_, let store): "the login kept in \(store.directory)"
        }
    }

    /// Visible ASCII and spaces: what a token, a key or a header value may hold.
    static func isFieldValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }
}
