import Hummingbird

extension Router {
    /// Answers an unknown path with 404 and a known path's other methods with 405 (naming the allowed ones in
    /// `Allow`), both in the JSON error shape.
    ///
    /// Call it after every route is added: it reads the routes to find each path's methods, and a route added
    /// later for a method already answered with 405 would clash. Middleware added to a Hummingbird router wraps
    /// only the routes added after it, and the router's not-found responder: so the 404 middleware added here
    /// costs the existing routes nothing.
    func addErrorFallbacks() {
        var methodsByPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            methodsByPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        for entry in methodsByPath.values.sorted(by: { $0.path.description < $1.path.description }) {
            let allowed = entry.methods.map(\.rawValue).sorted()
            let allow = allowed.joined(separator: ", ")
            for method in Self.answeredMethods where !entry.methods.contains(method) {
                on(entry.path, method: method) { request, _ -> Response in
                    APIError(
                        .methodNotAllowed, code: "method_not_allowed",
                        message: "\(request.method.rawValue) is not allowed here (allowed: \(allow))"
                    ).answer(
                        with: [.allow: allow]
                    )
                }
            }
        }
        add(middleware: NotFoundAsJSON<Context>())
    }

    /// HEAD and OPTIONS are left to the server and to any CORS middleware.
    static var answeredMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete] }
}

/// Turns the router's bare not-found error into the JSON error shape.
struct NotFoundAsJSON<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return APIError.notFound("no such endpoint").answer
        }
    }
}
