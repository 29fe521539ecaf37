import DevSkyyCore
import HTTPTypes
import Hummingbird

/// An error answer of the token endpoint in OAuth's shape, `{"error": "…", "error_description": "…"}` (RFC 6749 §5.2),
/// not the API's `{"status":"error",…}`: OAuth client libraries read this one. Only the route's own refusals take it;
/// the shared layers (413, 421, 429, 500, 503) answer in the API's shape.
struct OAuthError: Error, Sendable, Equatable {
    enum Code: String, Sendable, CaseIterable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
    }

    /// The challenge of an `invalid_client` answer: the scheme the endpoint takes (RFC 6749 §5.2).
    static let challenge = #"Basic realm="devskyy", charset="UTF-8""#

    let code: Code
    /// Printable ASCII without `"` or `\` (RFC 6749 §5.2): written here, never copied from the request.
    let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// 401 for a client that failed to authenticate, 400 for the rest.
    var status: HTTPResponse.Status { code == .invalidClient ? .unauthorized : .badRequest }

    var answer: Response {
        var headers = Self.noStore
        if code == .invalidClient { headers[.wwwAuthenticate] = Self.challenge }
        return .json(JSONText.render(["error": code.rawValue, "error_description": description]), status: status, headers: headers)
    }

    /// What every answer of the token endpoint carries (RFC 6749 §5.1): tokens must not be kept by caches.
    static let noStore: HTTPFields = [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]
}
