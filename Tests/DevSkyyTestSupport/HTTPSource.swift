import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// What a scripted path of the source answers.
public struct SourceResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// Send this many body bytes, then stall for `stall` before the rest.
    public var stallAfter: Int?
    public var stall: Duration

    public init(status: Int = 200, headers: [String: String] = [:], body: [UInt8], stallAfter: Int? = nil, stall: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stallAfter = stallAfter
        self.stall = stall
    }

    public init(status: Int = 200, headers: [String: String] = [:], _ text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// One request the source received.
public struct SourceRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: String
    /// Unix ms when it arrived.
    public var time: Int64
    /// The client's port: one per TCP connection.
    public var peerPort: Int?
}

/// A request context that remembers the peer, so tests can count connections.
struct SourceContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peerPort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerPort = source.channel.remoteAddress?.port
    }
}

/// A real HTTP source on a loopback port: static documents or scripted handlers the test can change.
public final class HTTPSource: Sendable {
    public typealias Handler = @Sendable (SourceRequest) -> SourceResponse

    private let state = SourceState()
    private let task: Task<Void, any Error>
    public let port: Int

    public init() async throws {
        let state = self.state
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router(context: SourceContext.self)
        let respond: @Sendable (Request, SourceContext) async throws -> Response = { request, context in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let body = try await request.body.collect(upTo: 1 << 20)
            let received = SourceRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                body: String(buffer: body), time: Int64(Date().timeIntervalSince1970 * 1_000), peerPort: context.peerPort
            )
            state.requests.withLockedValue { $0.append(received) }
            if let delay = state.delays.withLockedValue({ $0[received.path] }) { try await Task.sleep(for: delay) }
            guard let handler = state.handlers.withLockedValue({ $0[received.path] }) else { return Response(status: .notFound) }
            return Self.response(handler(received))
        }
        router.get("**", use: respond)
        router.post("**", use: respond)
        router.put("**", use: respond)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        )
        task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw TestSupportError("HTTP source did not start") }
        self.port = port
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Serves a fixed JSON document (or status) on a path.
    public func serve(_ path: String, status: Int = 200, _ body: String) {
        handle(path) { _ in SourceResponse(status: status, headers: ["Content-Type": "application/json"], body) }
    }

    /// Answers a path with a handler that sees each request.
    public func handle(_ path: String, _ handler: @escaping Handler) {
        state.handlers.withLockedValue { $0[path] = handler }
    }

    /// Holds responses on this path for a while, to make fetches time out.
    public func delay(_ path: String, by duration: Duration) {
        state.delays.withLockedValue { $0[path] = duration }
    }

    /// Every request that reached this path, in order.
    public func requests(_ path: String) -> [SourceRequest] { state.requests.withLockedValue { $0.filter { $0.path == path } } }

    /// How many requests reached this path.
    public func requestCount(_ path: String) -> Int { requests(path).count }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    private static func response(_ scripted: SourceResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in scripted.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let bytes = scripted.body
        guard let split = scripted.stallAfter, split < bytes.count else {
            return Response(status: .init(code: scripted.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let stall = scripted.stall
        return Response(
            status: .init(code: scripted.status), headers: headers,
            body: .init(contentLength: bytes.count) { writer in
                try await writer.write(ByteBuffer(bytes: bytes[..<split]))
                try await Task.sleep(for: stall)
                try await writer.write(ByteBuffer(bytes: bytes[split...]))
                try await writer.finish(nil)
            }
        )
    }
}

private final class SourceState: Sendable {
    let handlers = NIOLockedValueBox<[String: HTTPSource.Handler]>([:])
    let delays = NIOLockedValueBox<[String: Duration]>([:])
    let requests = NIOLockedValueBox<[SourceRequest]>([])
}

/// gzip-compressed bytes, made by the system's gzip.
public func gzipped(_ text: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}
