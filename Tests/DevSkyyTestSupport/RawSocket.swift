import Foundation
import Glibc

/// A blocking client socket (TCP on 127.0.0.1, or a Unix socket) that sends exact bytes: half a request, garbage, an
/// 8 MB request line. Blocking calls belong on a thread of their own (`RawSocket.offThread`).
///
/// `@unchecked Sendable`: the descriptor is used by one thread at a time, the one a test hands it to.
public final class RawSocket: @unchecked Sendable {
    public private(set) var fd: Int32

    /// Connects, with `timeout` seconds for each later send or receive to make progress.
    public init(port: Int? = nil, unixPath: String? = nil, timeout: Int = 10) throws {
        fd = socket(unixPath == nil ? AF_INET : AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        setTimeout(milliseconds: timeout * 1_000)
        let connected: Bool
        if let unixPath {
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in unixPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
            }
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port ?? 80).bigEndian
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }
        guard connected else {
            Glibc.close(fd)
            throw TestSupportError("cannot connect")
        }
    }

    deinit { close() }

    /// How long each later send or receive may wait for progress.
    public func setTimeout(milliseconds: Int) {
        var limit = timeval(tv_sec: milliseconds / 1_000, tv_usec: (milliseconds % 1_000) * 1_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Closes the connection now rather than when the socket is released.
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Sends all of `bytes`, or as many as the server takes before it closes or stops reading; the count sent.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            sent += count
        }
        return sent
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Every byte read until the server closes (`closed`), the receive timeout passes or the connection is reset.
    public func receiveAll() -> (bytes: [UInt8], closed: Bool) {
        var raw: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (raw, true) }
            guard count > 0 else { return (raw, errno == ECONNRESET) }
            raw += chunk[0..<count]
        }
    }

    /// Runs `work` on a thread of its own, so blocking socket calls never starve the server under test.
    public static func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try work() }) }.start()
        }.get()
    }
}
