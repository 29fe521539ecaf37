import Hummingbird

extension Router {
    /// Answers a known path's other methods with 405 in the JSON error shape, naming the allowed ones in `Allow`
    /// (an unknown path's 404 is `ErrorShapeMiddleware`'s).
    ///
    /// Call it after every route is added: it reads the routes to find each path's methods, and a route added
    /// later for a method already answered with 405 would clash.
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
                    APIError.methodNotAllowed(request.method, allowed: allow).answer(with: [.allow: allow])
                }
            }
        }
    }

    /// HEAD is left to the server; OPTIONS is 405 too unless the CORS middleware answers it as a preflight first.
    static var answeredMethods: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete, .options] }
}
