import DevSkyyAuth
import DevSkyyCore
import Hummingbird
import Logging

/// `POST /api/v1/auth/token`: OAuth 2.0's client-credentials grant (RFC 6749 §4.4) for the clients of `auth.clients`.
/// A client authenticates with HTTP Basic or with `client_id` / `client_secret` in the form body and gets an access
/// token of its role (`client_id` = `sub` = its id); there is no refresh token (§4.4.3), it asks again.
public enum OAuthTokenRoute {
    public struct Dependencies: Sendable {
        public let tokens: TokenService
        /// Checks secrets with bcrypt; an unknown client id is checked against its dummy hash, so both take as long.
        public let secrets: PasswordHasher
        public let clients: [String: AuthSettings.Client]
        /// Throttles failed client authentications as failed logins; nil throttles nothing.
        public let limiter: RateLimiter?
        public let logger: Logger

        public init(tokens: TokenService, secrets: PasswordHasher, clients: [AuthSettings.Client], limiter: RateLimiter?, logger: Logger) {
            self.tokens = tokens
            self.secrets = secrets
            self.clients = Dictionary(clients.map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
            self.limiter = limiter
            self.logger = logger
        }
    }

    static let formType = "application/x-www-form-urlencoded"

    static func add(to router: some RouterMethods<APIRequestContext>, dependencies: Dependencies?, maxBodyBytes: Int) {
        router.on(APIRoutes.token) { request, context -> Response in
            guard let oauth = dependencies else {
                throw APIError.notFound("the token endpoint is not configured: auth: has no clients or no jwt_secret")
            }
            guard PartnershipRoutes.mediaType(request.headers[.contentType] ?? "") == formType else {
                return OAuthError(.invalidRequest, "Content-Type must be \(formType)").answer
            }
            let body = try await PartnershipRoutes.body(request, limit: maxBodyBytes)
            do {
                let token = try ClientCredentialsRequest.parse(body: body, authorization: request.headers[.authorization])
                return try await issue(token, oauth, context)
            } catch let error as OAuthError {
                return error.answer
            }
        }
    }

    /// Checks the client's secret (throttled like logins, audited) and its scope, then answers with a token.
    private static func issue(_ request: ClientCredentialsRequest, _ oauth: Dependencies, _ context: APIRequestContext) async throws
        -> Response
    {
        // Keyed apart from usernames: a user and a client of the same name do not throttle each other.
        let throttleKey = "client:" + request.clientID
        var audit: Logger.Metadata = [
            "client_id": "\(request.clientID.prefix(64))", "client": "\(context.clientAddress ?? "unix")",
            "route": "\(APIRoutes.token.key)",
        ]
        if let throttle = await oauth.limiter?.loginAllowed(username: throttleKey, clientAddress: context.clientAddress), !throttle.allowed
        {
            oauth.logger.notice("access: client authentication throttled", metadata: audit)
            var fields = throttle.fields
            fields.append(contentsOf: OAuthError.noStore)
            return APIError.rateLimited("client authentication").answer(with: fields)
        }
        let client = oauth.clients[request.clientID]
        let verified: Bool
        do {
            verified = try await oauth.secrets.verify(request.secret, against: client?.secretHash)
        } catch PasswordHasherError.busy {
            // Not the client's failure: not counted against it.
            oauth.logger.warning("access: client authentication refused, too many in progress", metadata: audit)
            throw APIError.unavailable("too many client authentications in progress: retry shortly")
        }
        guard verified, let client else {
            await oauth.limiter?.loginFailed(username: throttleKey, clientAddress: context.clientAddress)
            oauth.logger.notice("access: client authentication refused", metadata: audit)
            throw OAuthError(.invalidClient, "client authentication failed")
        }
        audit["role"] = "\(client.role.rawValue)"
        let scope: String
        do {
            scope = try request.grantedScope(for: client.role)
        } catch {
            oauth.logger.notice("access: client token refused, scope not granted", metadata: audit)
            throw error
        }
        let token: IssuedToken
        do {
            token = try await oauth.tokens.issueAccess(subject: client.clientID, role: client.role, clientID: client.clientID)
        } catch {
            throw APIError.internal("a token could not be signed")
        }
        oauth.logger.notice("access: client token issued", metadata: audit)
        let body = JSONText.render([
            "access_token": token.token, "token_type": "bearer", "expires_in": token.expiresIn, "scope": scope,
        ])
        return .json(body, headers: OAuthError.noStore)
    }
}
