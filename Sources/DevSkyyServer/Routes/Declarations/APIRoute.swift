import DevSkyyCore
import Foundation
import Hummingbird

/// One route of the API, declared once: what the router registers, what the access layer asks of the caller, which
/// rate limit it counts against, and its documentation. The OpenAPI document, `/docs`, the endpoint catalog and the
/// permission table are all derived from the declarations in `APIRoutes`; only the handler is written elsewhere, and it
/// is registered through its declaration (`RouterMethods.on(_:use:)`).
public struct APIRoute: Sendable {
    public let method: HTTPRequest.Method
    /// In OpenAPI notation: `/api/v1/partnerships/{id}/status`.
    public let path: String
    /// One line: the endpoint catalog's description and the OpenAPI summary.
    public let summary: String
    /// What the caller must hold. No default: a route cannot be declared without one.
    public let permission: Permission
    public let rateLimit: RateLimitClass
    let tag: String
    /// The documentation is built when the document is rendered (once), not held: its schemas are JSON values
    /// (`[String: Any]`), which cannot be Sendable.
    private let documentation: @Sendable () -> (parameters: [APIParameter], requestBody: APIContent?, responses: [APIResponse])

    /// Decodes a body as the answer type of the `Endpoint` the route was declared from, throwing where it does not
    /// fit; nil for a route the daemon declares alone.
    public private(set) var decodeAnswer: (@Sendable (Data) throws -> Void)?

    var parameters: [APIParameter] { documentation().parameters }
    var requestBody: APIContent? { documentation().requestBody }
    var responses: [APIResponse] { documentation().responses }

    init(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, permission: Permission, rateLimit: RateLimitClass = .default,
        tag: String, parameters: @autoclosure @escaping @Sendable () -> [APIParameter] = [],
        requestBody: @autoclosure @escaping @Sendable () -> APIContent? = nil,
        responses: @autoclosure @escaping @Sendable () -> [APIResponse]
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.permission = permission
        self.rateLimit = rateLimit
        self.tag = tag
        documentation = { (parameters(), requestBody(), responses()) }
    }

    /// A route whose method, path and types are shared with devskyyctl (`Endpoints`).
    init<Body, Answer>(
        _ endpoint: Endpoint<Body, Answer>, _ summary: String, permission: Permission, rateLimit: RateLimitClass = .default,
        tag: String, parameters: @autoclosure @escaping @Sendable () -> [APIParameter] = [],
        requestBody: @autoclosure @escaping @Sendable () -> APIContent? = nil,
        responses: @autoclosure @escaping @Sendable () -> [APIResponse]
    ) {
        self.init(
            endpoint.method.http, endpoint.path, summary, permission: permission, rateLimit: rateLimit, tag: tag, parameters: parameters(),
            requestBody: requestBody(), responses: responses())
        decodeAnswer = { _ = try JSONDecoder().decode(Answer.self, from: $0) }
    }

    /// `GET /api/v1/partnerships/{id}/status`: how the permission table and tests name a route.
    public var key: String { "\(method.rawValue) \(path)" }

    /// The path in the router's notation: `/api/v1/partnerships/:id/status`.
    var routerPath: RouterPath {
        RouterPath(
            path.split(separator: "/", omittingEmptySubsequences: false).map { component in
                component.hasPrefix("{") && component.hasSuffix("}") ? ":" + component.dropFirst().dropLast() : component
            }.joined(separator: "/"))
    }

    /// Whether a request path (no query) is one this route serves: its `{name}` components match any one non-empty
    /// component.
    func matches(_ requestPath: String) -> Bool {
        let pattern = path.split(separator: "/")
        let components = requestPath.split(separator: "/")
        guard pattern.count == components.count else { return false }
        return zip(pattern, components).allSatisfy { want, have in want.hasPrefix("{") || want == have }
    }

    /// `responses` with the errors any route can answer: a body where none is read (400 `unexpected_body`), a body
    /// over `listen.max_body` (413), the access layer's refusals (401 and 403 unless anyone may call it, 421), and an
    /// internal failure (500); each in the error shape.
    var documentedResponses: [APIResponse] {
        var all = responses
        let statuses = Set(responses.map(\.status))
        if requestBody == nil {
            let unexpected = "a body was sent, and this route reads none (unexpected_body)"
            if let index = all.firstIndex(where: { $0.status == "400" }) {
                all[index].description += "; or \(unexpected)"
            } else {
                all.append(.error(400, unexpected.prefix(1).uppercased() + unexpected.dropFirst()))
            }
        }
        if !statuses.contains("413") {
            all.append(.error(413, "The body is over listen.max_body (\(ListenSettings.defaultMaxBodyBytes >> 10) KiB unless configured)"))
        }
        if permission != .anyone {
            if !statuses.contains("401") {
                all.append(.error(401, "No credentials, or refused ones (unauthorized, invalid_token), where auth: asks for them"))
            }
            all.append(.error(403, "The caller's role lacks the \(permission.rawValue) permission (forbidden)"))
        }
        all.append(.error(421, "The Host is not one of listen.allowed_hosts (misdirected_request)"))
        all.append(.error(429, "Over the \(rateLimit.rawValue) rate limit of rate_limits: (rate_limited); Retry-After says when to retry"))
        if !statuses.contains("500") { all.append(.error(500, "An internal failure; the answer carries no internal detail")) }
        return all
    }

    var operationID: String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).filter { $0 != "api" && $0 != "v1" }
        return ([method.rawValue.lowercased()] + words.map(String.init)).joined(separator: "_")
    }
}

extension Endpoint.Method {
    var http: HTTPRequest.Method {
        switch self {
        case .get: .get
        case .post: .post
        case .put: .put
        case .patch: .patch
        case .delete: .delete
        }
    }
}
