import DevSkyyAuth
import DevSkyyCore
import DevSkyyStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logins, token refresh and logout (issue 13): users from `auth.users`, sessions (refresh families) in Redis.
public enum AuthRoutes {
    public struct Dependencies: Sendable {
        public let tokens: TokenService
        public let passwords: PasswordHasher
        public let users: [String: AuthSettings.User]
        public let sessions: RefreshTokenStore
        public let authenticator: Authenticator
        /// Throttles failed logins; nil throttles nothing.
        public let limiter: RateLimiter?
        /// Logins and refresh reuse by outcome, for `/metrics`.
        public let stats: AccessStats
        public let logger: Logger

        public init(
            tokens: TokenService, passwords: PasswordHasher, users: [AuthSettings.User], sessions: RefreshTokenStore,
            authenticator: Authenticator, limiter: RateLimiter?, stats: AccessStats = AccessStats(), logger: Logger
        ) {
            self.limiter = limiter
            self.stats = stats
            self.tokens = tokens
            self.passwords = passwords
            self.users = Dictionary(users.map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
            self.sessions = sessions
            self.authenticator = authenticator
            self.logger = logger
        }
    }

    /// - Parameters:
    ///   - router: where the login and refresh routes go (they read a body).
    ///   - bodiless: where the logout goes.
    static func add(
        to router: some RouterMethods<APIRequestContext>, bodiless: some RouterMethods<APIRequestContext>, dependencies: Dependencies?,
        maxBodyBytes: Int
    ) {
        router.on(APIRoutes.login) { request, context -> Response in
            let auth = try available(dependencies)
            let body = try AuthBody.strings(
                try await PartnershipRoutes.jsonBody(request, limit: maxBodyBytes), fields: ["username": 64, "password": 72])
            let (username, password) = (body["username"] ?? "", body["password"] ?? "")
            let throttle = await auth.limiter?.loginAllowed(username: username, clientAddress: context.clientAddress)
            if let throttle, !throttle.allowed {
                auth.stats.countRateLimited("login")
                auth.logger.notice(
                    "access: login throttled",
                    metadata: ["username": "\(username.prefix(64))", "client": "\(context.clientAddress ?? "unix")"])
                return APIError.rateLimited("login").answer(with: throttle.fields)
            }
            let user = auth.users[username]
            // An unknown name is checked against a dummy hash: the answer takes as long either way.
            guard (try? await auth.passwords.verify(password, against: user?.passwordHash)) == true, let user else {
                await auth.limiter?.loginFailed(username: username, clientAddress: context.clientAddress)
                auth.stats.count(.loginFailed)
                auth.logger.notice(
                    "access: login refused",
                    metadata: ["username": "\(username.prefix(64))", "client": "\(context.clientAddress ?? "unix")"])
                throw APIError(.unauthorized, code: "invalid_credentials", message: "the username or password is wrong")
            }
            let family = TokenService.newFamily()
            let answer = try await pair(for: user, family: family, auth)
            auth.stats.count(.loginOK)
            auth.logger.notice("access: login", metadata: ["username": "\(username)", "role": "\(user.role.rawValue)"])
            return answer
        }
        router.on(APIRoutes.refresh) { request, _ -> Response in
            let auth = try available(dependencies)
            let body = try AuthBody.strings(
                try await PartnershipRoutes.jsonBody(request, limit: maxBodyBytes),
                fields: ["refresh_token": TokenService.maximumTokenBytes])
            let presented: RefreshToken
            do {
                presented = try await auth.tokens.verifyRefresh(body["refresh_token"] ?? "")
            } catch {
                auth.logger.info(
                    "access: refresh token refused", metadata: ["reason": "\((error as? TokenError)?.reason ?? "not a token")"])
                throw APIError.unauthorized(invalidToken: true)
            }
            guard let user = auth.users[presented.subject] else {
                auth.logger.notice("access: refresh for a user no longer configured", metadata: ["username": "\(presented.subject)"])
                throw APIError.unauthorized(invalidToken: true)
            }
            let next = try await issue { try await auth.tokens.issueRefresh(subject: user.username, family: presented.family) }
            let rotation: RefreshTokenStore.Rotation
            do {
                rotation = try await auth.sessions.rotate(
                    family: presented.family, presented: presented.jti, next: next.jti, ttl: auth.tokens.refreshTTL)
            } catch {
                throw APIError.redis(error, subject: "sessions")
            }
            switch rotation {
            case .rotated:
                return try await answer(
                    access: issue { try await auth.tokens.issueAccess(subject: user.username, role: user.role, session: presented.family) },
                    refresh: next, role: user.role)
            case .reused:
                auth.stats.count(.refreshReuse)
                auth.logger.warning(
                    "access: a refresh token was used twice: its login is revoked (a stolen token, or a client replaying one)",
                    metadata: ["username": "\(user.username)", "security_event": "refresh_reuse"])
                throw APIError.unauthorized(invalidToken: true)
            case .unknown:
                throw APIError.unauthorized(invalidToken: true)
            }
        }
        bodiless.on(APIRoutes.logout) { _, context -> Response in
            // Without a session there is nothing to end (no `auth:` section, or the Unix socket's own trust).
            guard let caller = context.caller, caller.jti != nil || caller.session != nil else {
                return Response(status: .noContent, headers: [.cacheControl: "no-store"])
            }
            let auth = try available(dependencies)
            do {
                if let session = caller.session { try await auth.sessions.revokeFamily(session) }
                if let jti = caller.jti, let expiresAt = caller.expiresAt {
                    try await auth.sessions.revokeAccess(jti: jti, until: expiresAt)
                    auth.authenticator.forget(jti: jti)
                }
            } catch {
                throw APIError.redis(error, subject: "logout")
            }
            auth.logger.notice("access: logout", metadata: ["subject": "\(caller.subject)", "kind": "\(caller.kind.rawValue)"])
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    private static func available(_ dependencies: Dependencies?) throws(APIError) -> Dependencies {
        guard let dependencies else {
            // Not a passing failure (a 503 would invite retries): without users and a secret there are no logins.
            throw APIError.notFound("logins are not configured: auth: has no users or no jwt_secret")
        }
        return dependencies
    }

    /// A login's first pair: the session starts in Redis with its refresh token.
    private static func pair(for user: AuthSettings.User, family: String, _ auth: Dependencies) async throws -> Response {
        let refresh = try await issue { try await auth.tokens.issueRefresh(subject: user.username, family: family) }
        do {
            try await auth.sessions.start(family: family, jti: refresh.jti, subject: user.username, ttl: auth.tokens.refreshTTL)
        } catch {
            throw APIError.redis(error, subject: "sessions")
        }
        let access = try await issue { try await auth.tokens.issueAccess(subject: user.username, role: user.role, session: family) }
        return try answer(access: access, refresh: refresh, role: user.role)
    }

    private static func issue(_ body: () async throws -> IssuedToken) async throws(APIError) -> IssuedToken {
        do {
            return try await body()
        } catch {
            throw APIError.internal("a token could not be signed")
        }
    }

    /// The answer in the type devskyyctl decodes (`TokenAnswer`).
    private static func answer(access: IssuedToken, refresh: IssuedToken, role: Role) throws(APIError) -> Response {
        let answer = TokenAnswer(
            accessToken: access.token, refreshToken: refresh.token, expiresIn: access.expiresIn, refreshExpiresIn: refresh.expiresIn,
            role: role.rawValue)
        guard let body = try? JSONEncoder().encode(answer) else { throw APIError.internal("a token answer could not be encoded") }
        return .json(Array(body), headers: [.cacheControl: "no-store"])
    }
}
