import DevSkyyCore

/// A token request of the client-credentials grant (RFC 6749 §4.4.2) as read from its form body and `Authorization`
/// field, before the client's secret is checked. Reading it needs no I/O, so every §5.2 refusal it makes is tested
/// (and fuzzed) alone.
struct ClientCredentialsRequest: Sendable, Equatable {
    static let grantType = "client_credentials"
    /// The longest client id read: longer ones cannot be a token's subject (`TokenService`), so none is configured.
    static let maximumClientIDBytes = 256

    var clientID: String
    var secret: String
    /// The requested scope's tokens (RFC 6749 §3.3); empty when none was asked for.
    var scope: [String]

    /// - Parameters:
    ///   - body: the form body, still encoded.
    ///   - authorization: the request's `Authorization` field, if any.
    /// - Throws: `invalid_request` for a malformed body, a missing `grant_type` or both ways of authenticating at once;
    ///   `unsupported_grant_type` for another grant; `invalid_client` for no client authentication, another scheme
    ///   than Basic, or malformed Basic credentials; `invalid_scope` for a scope that is not a list of scope tokens.
    static func parse(body: [UInt8], authorization: String?) throws(OAuthError) -> ClientCredentialsRequest {
        let form: FormBody
        do {
            form = try FormBody(parsing: body)
        } catch {
            throw OAuthError(.invalidRequest, error.message)
        }
        guard let grant = form["grant_type"] else { throw OAuthError(.invalidRequest, "grant_type is missing") }
        guard grant == grantType else { throw OAuthError(.unsupportedGrantType, "only the client_credentials grant is supported") }
        let (clientID, secret) = try credentials(form, authorization: authorization)
        guard clientID.utf8.count <= maximumClientIDBytes else { throw OAuthError(.invalidClient, "client authentication failed") }
        return ClientCredentialsRequest(clientID: clientID, secret: secret, scope: try scopeTokens(form["scope"]))
    }

    /// The scope a token for a client of `role` carries: the role's name. A client may ask for its role by name (or by
    /// one of the role's aliases) and nothing else: a scope narrower than a role is not something tokens can carry.
    func grantedScope(for role: Role) throws(OAuthError) -> String {
        guard scope.allSatisfy({ Role(named: $0) == role }) else {
            throw OAuthError(.invalidScope, "the only scope this client may ask for is its role, \(role.rawValue)")
        }
        return role.rawValue
    }

    /// The client's id and secret, from exactly one of the Basic field and the form's `client_id` / `client_secret`
    /// (RFC 6749 §2.3: one method per request).
    private static func credentials(_ form: FormBody, authorization: String?) throws(OAuthError) -> (String, String) {
        let inForm = form.parameters["client_id"] != nil || form.parameters["client_secret"] != nil
        if let authorization {
            let basic: BasicCredentials?
            do {
                basic = try BasicCredentials.parse(authorization: authorization)
            } catch {
                throw OAuthError(.invalidClient, error.message)
            }
            guard let basic else {
                throw OAuthError(.invalidClient, "clients authenticate with HTTP Basic or with client_id and client_secret in the body")
            }
            guard !inForm else {
                throw OAuthError(.invalidRequest, "the client authenticated both with HTTP Basic and in the body: use one")
            }
            return (basic.clientID, basic.secret)
        }
        guard let clientID = form["client_id"], let secret = form["client_secret"] else {
            throw OAuthError(.invalidClient, "no client authentication: HTTP Basic, or client_id and client_secret in the body")
        }
        return (clientID, secret)
    }

    /// RFC 6749 §3.3: `scope-token *( SP scope-token )`, each token of `%x21 / %x23-5B / %x5D-7E`.
    private static func scopeTokens(_ scope: String?) throws(OAuthError) -> [String] {
        guard let scope else { return [] }
        let tokens = scope.split(separator: " ", omittingEmptySubsequences: false)
        let wellFormed = tokens.allSatisfy { token in
            !token.isEmpty && token.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C }
        }
        guard wellFormed else { throw OAuthError(.invalidScope, "scope is not a space-separated list of scope tokens") }
        return tokens.map(String.init)
    }
}
