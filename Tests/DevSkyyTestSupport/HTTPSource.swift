import Hummingbird
import NIOCore
import Synchronization

/// A real HTTP source on a loopback port serving JSON documents the test can change.
public final class HTTPSource: Sendable {
    private let state = SourceState()
    private let task: Task<Void, any Error>
    public let port: Int

    public init() async throws {
        let state = self.state
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.get("**") { request, _ -> Response in
            let path = request.uri.path
            state.requests.withLock { $0[path, default: 0] += 1 }
            if let delay = state.delays.withLock({ $0[path] }) { try await Task.sleep(for: delay) }
            guard let document = state.documents.withLock({ $0[path] }) else { return Response(status: .notFound) }
            return Response(
                status: .init(code: document.status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: document.body))
            )
        }
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

    public func serve(_ path: String, status: Int = 200, _ body: String) {
        state.documents.withLock { $0[path] = (status, body) }
    }

    /// Holds responses on this path for a while, to make fetches time out.
    public func delay(_ path: String, by duration: Duration) {
        state.delays.withLock { $0[path] = duration }
    }

    /// How many requests reached this path.
    public func requestCount(_ path: String) -> Int { state.requests.withLock { $0[path, default: 0] } }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

private final class SourceState: Sendable {
    let documents = Mutex<[String: (status: Int, body: String)]>([:])
    let delays = Mutex<[String: Duration]>([:])
    let requests = Mutex<[String: Int]>([:])
}
