import Glibc

/// A loopback port that refuses connections for as long as this value lives: bound but never listening.
///
/// A port from `FreePort.allocate()` is free only until some parallel test binds it; a test that needs
/// "connection refused" every time (retries included) holds this instead.
public final class RefusingPort: Sendable {
    public let port: Int
    private let fd: Int32

    public init() {
        let socket = FreePort.boundLoopbackSocket()
        precondition(socket != nil, "cannot bind a free port")
        fd = socket?.fd ?? -1
        port = socket?.port ?? 0
    }

    deinit { close(fd) }
}
