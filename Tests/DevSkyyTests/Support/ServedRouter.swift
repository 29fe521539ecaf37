import DevSkyyServer
import DevSkyyTestSupport
import Hummingbird
import HummingbirdCore
import Logging

/// A router served on a free loopback port, or on a Unix socket, until `stop()`: route tests talk to it
/// over real HTTP.
struct ServedRouter {
    let task: Task<Void, any Error>
    /// The bound TCP port (0 on a Unix socket).
    let port: Int

    /// - Parameters:
    ///   - server: how connections are set up; the daemon's listeners use `QueryListeners.server(store:api:)`.
    ///   - serverName: sent as `Server` by Hummingbird on the router's answers, so a test can tell them apart.
    ///   - logger: the server's and its requests' logger (Hummingbird's default when nil).
    static func start(
        _ router: Router<APIRequestContext>, unixPath: String? = nil, server: HTTPServerBuilder = .http1(), serverName: String? = nil,
        logger: Logger? = nil
    ) async throws -> ServedRouter {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let address: BindAddress = unixPath.map { .unixDomainSocket(path: $0) } ?? .hostname("127.0.0.1", port: 0)
        let app = Application(
            router: router, server: server, configuration: .init(address: address, serverName: serverName),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            throw TestSupportError("the router did not start")
        }
        return ServedRouter(task: task, port: port)
    }

    func stop() { task.cancel() }
}
