import DevSkyyCore
import Hummingbird

extension APIError {
    /// 401: no credentials, or credentials refused. Never says which part was wrong beyond `invalid_token`.
    static func unauthorized(invalidToken: Bool) -> APIError {
        invalidToken
            ? APIError(.unauthorized, code: "invalid_token", message: "the credentials were refused")
            : APIError(.unauthorized, code: "unauthorized", message: "this endpoint needs credentials: a bearer token or an X-API-Key")
    }

    /// The `WWW-Authenticate` challenge of a 401 (RFC 6750 §3).
    static func bearerChallenge(invalidToken: Bool) -> String {
        invalidToken ? #"Bearer realm="devskyy", error="invalid_token""# : #"Bearer realm="devskyy""#
    }

    /// 403, naming the permission the route needs.
    static func forbidden(_ permission: Permission) -> APIError {
        APIError(.forbidden, code: "forbidden", message: "this endpoint needs the \(permission.rawValue) permission")
    }

    /// 429: over the rate limit of `policy` (an endpoint class, or `login`); `Retry-After` says when to come back.
    static func rateLimited(_ policy: String) -> APIError {
        APIError(.tooManyRequests, code: "rate_limited", message: "too many requests (\(policy) rate limit): see Retry-After")
    }

    /// 421: the request's `Host` is not one this daemon serves (`listen.allowed_hosts`).
    static var misdirected: APIError {
        APIError(
            .misdirectedRequest, code: "misdirected_request",
            message: "this server does not serve that Host (listen.allowed_hosts)", field: "Host")
    }
}
