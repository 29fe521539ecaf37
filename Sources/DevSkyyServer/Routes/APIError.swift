import DevSkyyCore
import DevSkyyStore
import Hummingbird

/// An error answer in the API's one shape: `{"status":"error","error":{"code":"…","message":"…"}}`, plus
/// `"field"` inside `error` when one request field, parameter or header is at fault.
///
/// `status` matches the `{"status":"success","data":…}` answers of the history routes, so a client of those reads
/// one envelope. Messages are written for the client: never Redis's reply text, file paths or Swift error
/// descriptions. Handlers throw it; `ErrorShapeMiddleware` renders it, and anything else thrown as a 500 in this
/// shape.
public struct APIError: Error, Sendable, HTTPResponseError {
    public let status: HTTPResponse.Status
    /// Stable and machine-readable: `not_found`, `invalid_field`, `unavailable`, …
    public let code: String
    public let message: String
    /// The request field (or parameter, or header) at fault.
    public let field: String?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// 400: the body is not JSON at all.
    public static func malformedJSON(_ error: JSONParseError) -> APIError {
        APIError(.badRequest, code: "malformed_json", message: "the body is not valid JSON: \(error.reason) at byte \(error.offset)")
    }

    /// 400: a query parameter (or header) is unknown, repeated or invalid; `field` names it.
    public static func invalidParameter(_ error: QueryError) -> APIError {
        APIError(.badRequest, code: "invalid_parameter", message: error.description, field: error.parameter)
    }

    /// 400: a body sent to a route that reads none, refused rather than ignored.
    public static var unexpectedBody: APIError {
        APIError(.badRequest, code: "unexpected_body", message: "this endpoint takes no request body")
    }

    /// 404 for a resource that does not exist.
    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    /// 405, naming the methods the path takes (also sent in `Allow`).
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: String) -> APIError {
        APIError(
            .methodNotAllowed, code: "method_not_allowed", message: "\(method.rawValue) is not allowed here (allowed: \(allowed))")
    }

    /// 413: the body is over `limit` bytes.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", message: "the body is larger than \(limit) bytes")
    }

    /// 415: the body is not in a media type the route reads.
    public static func unsupportedMediaType(expected: String) -> APIError {
        APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "Content-Type must be \(expected)", field: "Content-Type")
    }

    /// 422: a field is unknown, of the wrong type or out of range; the message starts with the field's name.
    public static func invalidField(_ field: String, _ problem: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_field", message: "\(field): \(problem)", field: field)
    }

    /// 503: a dependency (Redis) cannot be reached now; the client may retry.
    public static func unavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message: message)
    }

    /// A failed Redis command in the client's terms: 503 when a retry may succeed (Redis unreachable, loading, out
    /// of memory, …), otherwise a 500 without Redis's own text, which may name keys.
    /// - Parameter subject: what the request was after: `history`, `event history`, `deliverable progress`.
    public static func redis(_ error: any Error, subject: String) -> APIError {
        if let error = error as? RedisError, error.isRetryable {
            return .unavailable("\(subject) is unavailable: Redis cannot be reached")
        }
        return .internal("\(subject): Redis refused the request")
    }

    /// 500, saying what failed in the client's terms only.
    public static func `internal`(_ message: String) -> APIError {
        APIError(.internalServerError, code: "internal", message: message)
    }

    public var body: [UInt8] {
        var error: [String: Any] = ["code": code, "message": message]
        if let field { error["field"] = field }
        return JSONText.render(["status": "error", "error": error])
    }

    /// The answer to send.
    public var answer: Response { answer(with: [:]) }

    /// The answer with more headers (`Allow` on a 405).
    public func answer(with headers: HTTPFields) -> Response {
        .json(body, status: status, headers: headers)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { answer }
}
