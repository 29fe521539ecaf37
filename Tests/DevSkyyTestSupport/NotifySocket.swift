import Foundation
import Glibc
import NIOConcurrencyHelpers

/// A real `NOTIFY_SOCKET`: a Unix datagram socket that records what the daemon sends systemd.
public final class NotifySocket: Sendable {
    public let path: String
    private let fd: Int32
    private let received = Received()

    public init(folder: TemporaryFolder) throws {
        path = folder.file("notify.sock")
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw TestSupportError("cannot bind \(path)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [fd, received] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 {
                    let message = String(decoding: buffer[..<n], as: UTF8.self)
                    received.messages.withLockedValue { $0.append(message) }
                } else if n < 0 && errno != EAGAIN && errno != EINTR {
                    return
                }
            }
        }
        thread.start()
    }

    /// Every datagram received so far, in order.
    public var messages: [String] { received.messages.withLockedValue { $0 } }

    /// Waits until a received datagram holds a line satisfying `predicate`.
    public func waitFor(timeout: Duration = .seconds(20), _ predicate: @escaping (String) -> Bool) async -> Bool {
        await eventually(timeout: timeout) {
            messages.contains { $0.split(separator: "\n").contains { predicate(String($0)) } }
        }
    }

    /// The newest `STATUS=` text.
    public var lastStatus: String? {
        messages.flatMap { $0.split(separator: "\n") }.last { $0.hasPrefix("STATUS=") }.map { String($0.dropFirst(7)) }
    }

    public func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}

private final class Received: Sendable {
    let messages = NIOLockedValueBox<[String]>([])
}
