import DevSkyyCore
import Hummingbird

/// Who may call what, decided without I/O: the listener's trust policy, the anonymous routes, the `Host` allow-list,
/// and each route's permission. The access middleware feeds it what the request carries and the caller its
/// credentials resolved to, and answers as it says.
public struct AccessPolicy: Sendable {
    /// What the request's credentials came to, before the policy looks at the route.
    public enum Credentials: Sendable, Equatable {
        /// None sent.
        case none
        /// Sent and valid.
        case valid(Identity)
        /// Sent and refused: a bad signature, expired, revoked, unknown key… The reason goes to the audit log only.
        case invalid
    }

    public enum Decision: Sendable, Equatable {
        case allow(Identity?)
        /// 401 with `WWW-Authenticate: Bearer`; `invalidToken` adds `error="invalid_token"`.
        case unauthorized(invalidToken: Bool)
        /// 403 naming the permission the route needs.
        case forbidden(Permission)
        /// 421: a TCP request for a host this daemon does not serve (DNS rebinding).
        case misdirected
    }

    /// The routes open without credentials on TCP (`auth.anonymous`).
    public var anonymous: [AnonymousRoute]
    /// Whether the Unix socket's file mode is the credential (`auth.unix_socket: trusted`): its requests then act as
    /// `orchestration_admin` unless they carry credentials of their own.
    public var unixSocketTrusted: Bool
    /// Whether a `Host` may be served on TCP (`listen.allowed_hosts`).
    public var allowsHost: @Sendable (String) -> Bool

    /// Without an `auth:` section every request is let in, as before access control existed; the configuration
    /// refuses that on a non-loopback TCP address unless `auth.allow_anonymous_tcp` says it is meant.
    public var open: Bool

    public init(
        anonymous: [AnonymousRoute], unixSocketTrusted: Bool = true, open: Bool = false,
        allowsHost: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.anonymous = anonymous
        self.unixSocketTrusted = unixSocketTrusted
        self.open = open
        self.allowsHost = allowsHost
    }

    /// - Parameters:
    ///   - route: the matched route's declaration; nil for a path or method no route serves (404, 405), which still
    ///     needs credentials on TCP so that an anonymous caller learns nothing of the API's shape.
    ///   - host: the request's `Host` (HTTP/1.1), which HTTPTypes keeps as `:authority`.
    public func decide(
        method: HTTPRequest.Method, path: Substring, route: APIRoute?, transport: APIRequestContext.Transport, host: String?,
        credentials: Credentials
    ) -> Decision {
        if transport == .tcp, !allowsHost(host ?? "") { return .misdirected }
        // The route checks the credentials it is sent (a password, a refresh token) itself.
        if route?.permission == .anyone {
            if case .valid(let caller) = credentials { return .allow(caller) }
            return .allow(transport == .unix && unixSocketTrusted ? .unixSocket : nil)
        }
        let caller: Identity?
        switch credentials {
        case .invalid:
            return .unauthorized(invalidToken: true)
        case .valid(let resolved):
            caller = resolved
        case .none:
            if transport == .unix && unixSocketTrusted {
                caller = .unixSocket
            } else if open {
                return .allow(nil)
            } else if anonymous.contains(where: { $0.matches(method: method.rawValue, path: String(path)) }) {
                return .allow(nil)
            } else {
                return .unauthorized(invalidToken: false)
            }
        }
        guard let caller else { return .unauthorized(invalidToken: false) }
        if let route, !caller.role.allows(route.permission) { return .forbidden(route.permission) }
        return .allow(caller)
    }
}
