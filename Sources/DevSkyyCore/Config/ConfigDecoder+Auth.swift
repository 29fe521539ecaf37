extension ConfigDecoder {
    /// The bounds of `auth.access_ttl`: shorter makes clients refresh all the time, longer leaves a stolen token
    /// usable for long (a revoked one stays listed until it expires).
    static let accessTTLRange = Duration.seconds(60)...Duration.seconds(86_400)
    static let refreshTTLRange = Duration.seconds(300)...Duration.seconds(365 * 86_400)

    /// `auth: { users, api_keys, clients, jwt_secret(_file), issuer, audience, access_ttl, refresh_ttl, anonymous,
    /// unix_socket, allow_anonymous_tcp }`.
    func decodeAuth(_ map: ConfigMapping) -> AuthSettings {
        map.allowOnly([
            "users", "api_keys", "clients", "jwt_secret", "jwt_secret_file", "issuer", "audience", "access_ttl", "refresh_ttl",
            "anonymous", "unix_socket", "allow_anonymous_tcp",
        ])
        var settings = AuthSettings()
        settings.users = identities(map, IdentityKeys.users).map { .init(username: $0.name, passwordHash: $0.hash, role: $0.role) }
        settings.apiKeys = identities(map, IdentityKeys.apiKeys).map { .init(name: $0.name, keyHash: $0.hash, role: $0.role) }
        settings.clients = identities(map, IdentityKeys.clients).map { .init(clientID: $0.name, secretHash: $0.hash, role: $0.role) }
        settings.jwtSecret = jwtSecret(map, needed: !settings.users.isEmpty || !settings.clients.isEmpty)
        for key in ["issuer", "audience"] {
            guard let text = map.string(key) else { continue }
            if text.isEmpty || !text.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) {
                map.log.add(map.line(of: key), "\(map.child(key)): must be printable ASCII without spaces, and not empty")
            } else if key == "issuer" {
                settings.issuer = text
            } else {
                settings.audience = text
            }
        }
        settings.accessTTL = timeout(map, "access_ttl", in: Self.accessTTLRange) ?? settings.accessTTL
        settings.refreshTTL = timeout(map, "refresh_ttl", in: Self.refreshTTLRange) ?? settings.refreshTTL
        if settings.refreshTTL <= settings.accessTTL {
            map.log.add(
                map.line(of: "refresh_ttl"),
                "\(map.child("refresh_ttl")): refresh_ttl (\(DurationParser.format(settings.refreshTTL))) must be longer than access_ttl "
                    + "(\(DurationParser.format(settings.accessTTL)))")
        }
        if map["anonymous"] != nil { settings.anonymous = anonymousRoutes(map) }
        if let text = map.string("unix_socket") {
            if let policy = AuthSettings.UnixSocketPolicy(rawValue: text) {
                settings.unixSocket = policy
            } else {
                map.log.add(map.line(of: "unix_socket"), "\(map.child("unix_socket")): expected trusted or token, found '\(text)'")
            }
        }
        if settings.unixSocket == .token && !settings.hasIdentities {
            map.log.add(
                map.line(of: "unix_socket"),
                "\(map.child("unix_socket")): token asks every caller of the socket for credentials, but no users, api_keys or "
                    + "clients are configured: nobody could use it")
        }
        settings.allowAnonymousTCP = flag(map, "allow_anonymous_tcp") ?? false
        return settings
    }

    /// A TCP listener that anyone on the network can reach, with nobody to authenticate, serves every route to
    /// everyone: refused unless `auth.allow_anonymous_tcp: true` says it is meant.
    func checkOpenTCP(_ config: DaemonConfig, top: ConfigMapping) {
        guard let tcp = config.listen.tcp, !tcp.isLoopback else { return }
        if let auth = config.auth, auth.hasIdentities || auth.allowAnonymousTCP { return }
        var line = top.line(of: "listen")
        if case .mapping(let entries)? = top["listen"]?.value, let entry = entries.first(where: { $0.key == "tcp" }) {
            line = entry.value.line
        }
        top.log.add(
            line,
            "config.listen.tcp: \(tcp) is reachable from other machines, and the configuration has no identities to ask for: "
                + "add users, api_keys or clients under auth:, listen on 127.0.0.1, or set auth.allow_anonymous_tcp: true "
                + "if every route is meant to be open to the network")
    }

    /// The keys of one kind of identity in the `auth:` section.
    struct IdentityKeys {
        var list: String
        var name: String
        var hash: String
        /// Letters, digits and these.
        var nameCharacters: String
        var maxNameLength: Int
        var hashProblem: @Sendable (String) -> String?
        /// API keys are looked up by their hash, which must then name one key.
        var uniqueHashes: Bool

        static let users = IdentityKeys(
            list: "users", name: "username", hash: "password_hash", nameCharacters: "._@-", maxNameLength: 64,
            hashProblem: CredentialHash.bcryptProblem, uniqueHashes: false)
        static let apiKeys = IdentityKeys(
            list: "api_keys", name: "name", hash: "key_hash", nameCharacters: "_-", maxNameLength: 64,
            hashProblem: CredentialHash.sha256HexProblem, uniqueHashes: true)
        static let clients = IdentityKeys(
            list: "clients", name: "client_id", hash: "secret_hash", nameCharacters: "._~-", maxNameLength: 128,
            hashProblem: CredentialHash.bcryptProblem, uniqueHashes: false)
    }

    /// The entries of one identity list, each checked; an entry with a problem is left out (and reported).
    private func identities(_ map: ConfigMapping, _ keys: IdentityKeys) -> [(name: String, hash: String, role: Role)] {
        var result: [(name: String, hash: String, role: Role)] = []
        for (i, node) in map.list(keys.list).enumerated() {
            guard let entry = ConfigMapping(node, path: "\(map.child(keys.list))[\(i)]", log: map.log) else { continue }
            entry.allowOnly([keys.name, keys.hash, "role"])
            let name = entry.required(keys.name).flatMap { text -> String? in
                let valid =
                    (1...keys.maxNameLength).contains(text.count)
                    && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || keys.nameCharacters.contains($0)) }
                if !valid {
                    entry.log.add(
                        entry.line(of: keys.name),
                        "\(entry.child(keys.name)): '\(text)' may hold only letters, digits and \(keys.nameCharacters.map { "'\($0)'" }.joined(separator: " ")) "
                            + "(1 to \(keys.maxNameLength) characters)")
                    return nil
                }
                if result.contains(where: { $0.name == text }) {
                    entry.log.add(entry.line(of: keys.name), "\(entry.child(keys.name)): '\(text)' is declared twice")
                    return nil
                }
                return text
            }
            let hash = entry.required(keys.hash).flatMap { text -> String? in
                if let problem = keys.hashProblem(text) {
                    entry.log.add(entry.line(of: keys.hash), "\(entry.child(keys.hash)): \(problem)")
                    return nil
                }
                if keys.uniqueHashes, let other = result.first(where: { $0.hash == text }) {
                    entry.log.add(
                        entry.line(of: keys.hash), "\(entry.child(keys.hash)): the same as \(other.name)'s: each key must be different")
                    return nil
                }
                return text
            }
            let role = entry.required("role").flatMap { text -> Role? in
                guard let role = Role(named: text) else {
                    entry.log.add(
                        entry.line(of: "role"),
                        "\(entry.child("role")): unknown role '\(text)' (accepted: \(Role.acceptedNames.joined(separator: ", ")))")
                    return nil
                }
                return role
            }
            if let name, let hash, let role { result.append((name, hash, role)) }
        }
        return result
    }

    /// `jwt_secret` (usually `${VAR}`), `jwt_secret_file`, or else the environment's `DEVSKYY_JWT_SECRET`. Its value
    /// is never said: only where it came from and how long it must be.
    private func jwtSecret(_ map: ConfigMapping, needed: Bool) -> String? {
        let inFile = map["jwt_secret"] != nil || map["jwt_secret_file"] != nil
        let origin: (line: Int, path: String)
        let value: String?
        if inFile {
            let key = map["jwt_secret"] != nil ? "jwt_secret" : "jwt_secret_file"
            origin = (map.line(of: key), map.child(key))
            // An unset ${VAR} or an unreadable file has been reported by now.
            guard let secret = secret(map, "jwt_secret") else { return nil }
            value = secret
        } else {
            origin = (0, "environment DEVSKYY_JWT_SECRET")
            value = environment["DEVSKYY_JWT_SECRET"]
        }
        guard let value else {
            if needed {
                map.log.add(
                    map.node.line,
                    "\(map.path): users and clients need a jwt_secret to sign their tokens: set jwt_secret (\"${VAR}\") or "
                        + "jwt_secret_file, or DEVSKYY_JWT_SECRET in the environment; at least \(AuthSettings.minimumSecretBytes) "
                        + "random bytes, such as the output of `openssl rand -base64 48`")
            }
            return nil
        }
        guard value.utf8.count >= AuthSettings.minimumSecretBytes else {
            map.log.add(
                origin.line,
                "\(origin.path): the JWT secret is too short: at least \(AuthSettings.minimumSecretBytes) bytes are needed "
                    + "(HS256), such as the output of `openssl rand -base64 48`")
            return nil
        }
        return value
    }

    /// `anonymous: ["/metrics", "GET /api/v1/orchestration/health"]`; `[]` closes them all.
    private func anonymousRoutes(_ map: ConfigMapping) -> [AnonymousRoute] {
        var routes: [AnonymousRoute] = []
        for (i, item) in map.list("anonymous").enumerated() {
            let path = "\(map.child("anonymous"))[\(i)]"
            guard case .scalar(let text) = item.value else {
                map.log.add(item.line, "\(path): expected \"METHOD /path\" or \"/path\", found \(item.kindName)")
                continue
            }
            switch AnonymousRoute.parse(text) {
            case .success(let route): if !routes.contains(route) { routes.append(route) }
            case .failure(let problem): map.log.add(item.line, "\(path): '\(text)': \(problem.reason)")
            }
        }
        return routes
    }
}
