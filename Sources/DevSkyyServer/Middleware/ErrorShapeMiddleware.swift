import Hummingbird
import NIOHTTP1

/// Renders whatever a route or the router throws in the API's one error shape, so no answer is ever a bare status
/// from Hummingbird or an error's own text.
///
/// Added first of the router's own middleware: it also wraps the router's not-found responder, which throws a bare
/// 404 for an unknown path.
struct ErrorShapeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.answer
        } catch let error as HTTPParserError {
            // A body whose framing is broken (a bad chunk size) is the client's fault, not the server's.
            return APIError.malformedRequest(error).answer(with: [.connection: "close"])
        } catch let error as RequestReadTimeout {
            return APIError.requestTimeout(limit: error.limit).answer(with: [.connection: "close"])
        } catch let error as any HTTPResponseError {
            return Self.shaped(error.status).answer
        } catch {
            // The operator reads what failed in the log; the client only that it did.
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return APIError.internal("the request failed inside the server").answer
        }
    }

    /// An error Hummingbird or NIO threw, by its status alone: their messages are not written for clients.
    static func shaped(_ status: HTTPResponse.Status) -> APIError {
        switch status {
        case .notFound: .notFound("no such endpoint")
        case .contentTooLarge: APIError(status, code: "payload_too_large", message: "the body is too large")
        case _ where status.kind == .clientError: APIError(status, code: "bad_request", message: status.reasonPhrase.lowercased())
        default: .internal("the request failed inside the server")
        }
    }
}
