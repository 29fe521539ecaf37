import Hummingbird

extension RouterMethods {
    /// Registers `handler` as the route `route` declares: its method, and its path in the router's notation. The only
    /// way routes are added, so every route the router answers has a declaration, and with it a permission.
    @discardableResult
    func on(_ route: APIRoute, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(route.routerPath, method: route.method, use: handler)
    }
}
