import DevSkyyCore
import Glibc
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// The errors a listener answers by itself, before or instead of the router, and how it writes them: in the API's one
/// shape, with `Connection: close`, since each ends the connection.
extension APIError {
    /// 408: the request was not received whole within `listen.read_timeout`.
    static func requestTimeout(limit: TimeAmount) -> APIError {
        let text = DurationParser.format(Duration(limit))
        return APIError(.requestTimeout, code: "request_timeout", message: "the request was not received whole within \(text)")
    }

    /// 503: the listener has `listen.max_connections` open.
    static var tooManyConnections: APIError {
        .unavailable("too many connections: the server has as many open as it takes; retry later")
    }

    /// 431 when the request line and header fields are over NIO's limits, else 400: the bytes are not an HTTP/1.1
    /// request (a bad method, version, header, `Content-Length` or chunk size).
    static func malformedRequest(_ error: HTTPParserError) -> APIError {
        if case .headerOverflow = error {
            return APIError(
                .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), code: "header_too_large",
                message: "the request line and header fields must fit in \(ConnectionLimits.maxHeadBytes / 1_024) KiB, "
                    + "at most \(ConnectionLimits.maxHeaderFields) fields")
        }
        return APIError(.badRequest, code: "bad_request", message: "the request is not valid HTTP/1.1 (\(reason(error)))")
    }

    private static func reason(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidMethod: "bad method"
        case .invalidURL: "bad request target"
        case .invalidVersion: "bad version"
        case .invalidContentLength, .unexpectedContentLength: "bad Content-Length"
        case .invalidChunkSize: "bad chunk size"
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant: "bad request line or header"
        default: "malformed"
        }
    }

    /// The answer's head and body, closing the connection.
    func closingParts() -> (head: HTTPResponse, body: ByteBuffer) {
        let body = ByteBuffer(bytes: self.body)
        let fields: HTTPFields = [
            .contentType: Response.jsonContentType, .contentLength: String(body.readableBytes), .connection: "close",
            .date: HTTPDate.format(time(nil)),
        ]
        return (HTTPResponse(status: status, headerFields: fields), body)
    }

    /// Writes the answer on an HTTP connection, then closes its output (`LingeringClose` reads what is left and closes).
    func write(closing context: ChannelHandlerContext) {
        let (head, body) = closingParts()
        context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(body)), promise: nil)
        context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: nil)
        context.close(mode: .output, promise: nil)
    }

    /// The answer as the bytes of an HTTP/1.1 response, for a connection with no HTTP codec (one refused at once).
    func closingBytes() -> ByteBuffer {
        let (head, body) = closingParts()
        var out = ByteBuffer(string: "HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n")
        for field in head.headerFields {
            out.writeString("\(field.name.rawName): \(field.value)\r\n")
        }
        out.writeString("\r\n")
        out.writeImmutableBuffer(body)
        return out
    }
}
