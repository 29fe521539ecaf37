import Hummingbird

/// Refuses a request body over `limit` bytes with 413, whichever route it is sent to: by its declared
/// `Content-Length` before a byte of it is read, and a chunked one as soon as it grows past the limit.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }) {
            guard length <= limit else { return APIError.payloadTooLarge(limit: limit).answer }
            // The HTTP parser ends the body at the declared length: nothing more to watch.
            return try await next(request, context)
        }
        // Without either header a request has no body; only a chunked one is worth the wrapper.
        guard request.headers[.transferEncoding] != nil else { return try await next(request, context) }
        var request = request
        request.body = RequestBody(asyncSequence: LimitedBody(base: request.body, limit: limit))
        return try await next(request, context)
    }
}

/// A request body that throws a 413 `APIError` once more than `limit` bytes have arrived.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            received += buffer.readableBytes
            guard received <= limit else { throw APIError.payloadTooLarge(limit: limit) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}
