import DevSkyyCore

extension APIRoutes {
    /// `AuthRoutes`: logins, token refresh and logout; `OAuthTokenRoute`: OAuth's client credentials. Token answers
    /// carry `Cache-Control: no-store`.
    static let auth = [login, refresh, logout, token]

    private static let authTag = "auth"

    /// Schemas of the auth routes. `nonisolated(unsafe)`: JSON values built once from literals and never mutated
    /// (`[String: Any]` cannot say it is Sendable).
    private enum AuthDocs {
        typealias S = OpenAPISchemas
        nonisolated(unsafe) static let tokens: [String: Any] = S.object([
            "access_token": S.string, "refresh_token": S.string, "token_type": ["type": "string", "const": "bearer"],
            "expires_in": S.integer, "refresh_expires_in": S.integer, "role": S.string,
        ])
        nonisolated(unsafe) static let login: [String: Any] = S.object(
            [
                "username": ["type": "string", "minLength": 1, "maxLength": 64],
                "password": ["type": "string", "minLength": 1, "maxLength": 72],
            ],
            required: ["username", "password"])
        nonisolated(unsafe) static let refresh: [String: Any] = S.object(
            ["refresh_token": ["type": "string", "minLength": 1, "maxLength": 4096]], required: ["refresh_token"])
        nonisolated(unsafe) static let tokenRequest: [String: Any] = S.object(
            [
                "grant_type": ["type": "string", "const": "client_credentials"],
                "client_id": ["type": "string", "description": "With client_secret, when the client does not use HTTP Basic"],
                "client_secret": ["type": "string", "description": "With client_id, when the client does not use HTTP Basic"],
                "scope": [
                    "type": "string",
                    "description": "Optional: the client's role name (or an alias of it), the only scope a client may ask for",
                ],
            ],
            required: ["grant_type"])
        nonisolated(unsafe) static let clientToken: [String: Any] = S.object(
            [
                "access_token": S.string, "token_type": ["type": "string", "const": "bearer"], "expires_in": S.integer,
                "scope": ["type": "string", "description": "The client's role: what the token may do"],
            ],
            required: ["access_token", "token_type", "expires_in"])
        nonisolated(unsafe) static let refused = APIResponse.error(
            401, "The credentials were refused (invalid_credentials or invalid_token)")
        nonisolated(unsafe) static let bodyErrors: [APIResponse] = [
            .error(400, "The body is not JSON"), .error(415, "Content-Type is not application/json"),
            .error(422, "A field is missing, unknown or of the wrong type; `field` names it"),
            .error(404, "Logins are not configured: auth: has no users or no jwt_secret"),
            .error(503, "Redis cannot be reached: sessions are kept there"),
        ]
    }

    public static let login = APIRoute(
        Endpoints.login, "Exchanges a configured user's name and password for an access and a refresh token",
        permission: .anyone, tag: authTag, requestBody: .json(AuthDocs.login),
        responses: [.ok("The tokens", .json(AuthDocs.tokens), headers: ["Cache-Control"]), AuthDocs.refused] + AuthDocs.bodyErrors)
    public static let refresh = APIRoute(
        Endpoints.refresh,
        "Exchanges a refresh token for a new pair; a refresh token used twice revokes its whole login", permission: .anyone,
        tag: authTag, requestBody: .json(AuthDocs.refresh),
        responses: [.ok("The new tokens", .json(AuthDocs.tokens), headers: ["Cache-Control"]), AuthDocs.refused] + AuthDocs.bodyErrors)
    public static let logout = APIRoute(
        .post, "/api/v1/auth/logout", "Revokes the caller's access token and the refresh tokens of its login",
        permission: .session, tag: authTag,
        responses: [
            APIResponse(status: "204", description: "Logged out (or there was no session to end); no body"),
            .error(503, "Redis cannot be reached: revocations are kept there"),
        ])
    public static let token = APIRoute(
        .post, "/api/v1/auth/token",
        "OAuth 2.0 client credentials (RFC 6749 §4.4): a configured client's id and secret for an access token of its role",
        permission: .anyone, tag: authTag,
        requestBody: APIContent(mediaType: OAuthTokenRoute.formType, schema: AuthDocs.tokenRequest),
        responses: [
            .ok(
                "The access token, with no refresh token (RFC 6749 §4.4.3): the client asks again", .json(AuthDocs.clientToken),
                headers: ["Cache-Control", "Pragma"]),
            .oauthError(
                400,
                "invalid_request (a malformed or over-long form, a parameter given twice, no grant_type, another Content-Type, "
                    + "both HTTP Basic and client_id/client_secret), unsupported_grant_type or invalid_scope, in OAuth's "
                    + "{error, error_description} shape (RFC 6749 §5.2), not the API's error shape"),
            .oauthError(
                401, "invalid_client: unknown client, wrong secret or no client authentication; WWW-Authenticate names Basic",
                headers: ["WWW-Authenticate"]),
            .error(404, "The token endpoint is not configured: auth: has no clients or no jwt_secret"),
            .error(503, "Too many client authentications in progress"),
        ])
}
