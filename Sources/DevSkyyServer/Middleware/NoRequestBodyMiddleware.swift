import Hummingbird

/// Refuses a body sent to a route that reads none (every GET, the collector test) with 400, rather than ignoring
/// what is most likely a client's mistake.
///
/// Only the headers are read, so it costs nothing: a declared length above zero, or any chunked body (a client
/// that announces one means to send one).
struct NoRequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        guard declared == 0, request.headers[.transferEncoding] == nil else { return APIError.unexpectedBody.answer }
        return try await next(request, context)
    }
}
