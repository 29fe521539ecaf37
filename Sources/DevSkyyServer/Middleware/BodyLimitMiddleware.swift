import Hummingbird

/// Refuses a request body over `limit` bytes with 413 by its declared `Content-Length`, whichever route it is sent to,
/// before a byte of it is read. A chunked body is only ever read by the route that takes one, which collects it up
/// to the same limit (`PartnershipRoutes.jsonBody`); the others refuse it unread (`NoRequestBodyMiddleware`).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            return APIError.payloadTooLarge(limit: limit).answer
        }
        return try await next(request, context)
    }
}
