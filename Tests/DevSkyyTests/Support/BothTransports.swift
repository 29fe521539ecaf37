import DevSkyyServer
import DevSkyyTestSupport
import Hummingbird
import HummingbirdCore
import Logging

/// One router served on a loopback TCP port and on a Unix socket at once, so a test sends each request over both
/// and compares the answers.
struct BothTransports {
    let tcp: ServedRouter
    let unix: ServedRouter
    let unixPath: String

    /// Serves `router` on both until `body` returns or throws.
    static func with(
        _ router: Router<APIRequestContext>, server: HTTPServerBuilder = .http1(), serverName: String? = nil, logger: Logger? = nil,
        _ body: (BothTransports) async throws -> Void
    ) async throws {
        let folder = TemporaryFolder("both")
        defer { folder.remove() }
        let tcp = try await ServedRouter.start(router, server: server, serverName: serverName, logger: logger)
        defer { tcp.stop() }
        let unixPath = folder.file("api.sock")
        let unix = try await ServedRouter.start(router, unixPath: unixPath, server: server, serverName: serverName, logger: logger)
        defer { unix.stop() }
        try await body(BothTransports(tcp: tcp, unix: unix, unixPath: unixPath))
    }

    /// The same request over TCP, then over the Unix socket.
    func send(
        _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8]? = nil
    ) async throws -> (tcp: PlainHTTP.Answer, unix: PlainHTTP.Answer) {
        let overTCP = try await PlainHTTP.request(method, path, port: tcp.port, headers: headers, body: body)
        let overUnix = try await PlainHTTP.request(method, path, unixPath: unixPath, headers: headers, body: body)
        return (overTCP, overUnix)
    }
}

/// What an answer must never carry: file paths, addresses, Redis replies, Swift type and error names.
func internals(in body: [UInt8]) -> [String] {
    let text = String(decoding: body, as: UTF8.self)
    let markers = [
        "/tmp/", "/var/", "/home/", "/root/", "/etc/", ".swift", "Swift.", "DevSkyy", "Hummingbird", "NIO", "Error(", "DecodingError",
        "WRONGTYPE", "ERR ", "127.0.0.1", "Fatal", "Thread",
    ]
    return markers.filter { text.contains($0) }
}
