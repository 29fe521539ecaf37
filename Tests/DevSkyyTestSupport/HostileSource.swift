import Foundation
import Glibc
import NIOConcurrencyHelpers

/// A source that misbehaves on purpose, below HTTP's rules: it writes whatever bytes a path's script says,
/// slowly if asked, lies about lengths, and resets connections mid-body. A real TCP listener on loopback,
/// plain sockets and a thread per connection, so nothing in between tidies up what it sends.
public final class HostileSource: Sendable {
    /// One step of an answer.
    public enum Step: Sendable {
        /// Write these bytes at once.
        case bytes([UInt8])
        /// Write these bytes one at a time, `every` apart (a body that drips).
        case drip([UInt8], every: Duration)
        /// Close with an RST (SO_LINGER 0) instead of a FIN.
        case reset
    }

    public let port: Int
    private let listener: Int32
    private let scripts = NIOLockedValueBox<[String: [Step]]>([:])
    private let served = NIOLockedValueBox<[String: Int]>([:])
    private let stopped = NIOLockedValueBox(false)

    public init() throws {
        guard let (fd, port) = FreePort.boundLoopbackSocket() else { throw TestSupportError("cannot bind a loopback port") }
        guard listen(fd, 256) == 0 else {
            close(fd)
            throw TestSupportError("cannot listen on a loopback port")
        }
        listener = fd
        self.port = port
        Thread { [self] in acceptLoop() }.start()
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Answers requests for `path` with these steps, then closes the connection.
    public func script(_ path: String, _ steps: [Step]) {
        scripts.withLockedValue { $0[path] = steps }
    }

    /// Answers `path` with a status line, these header lines and a body, as given (nothing is checked or added).
    public func raw(_ path: String, head: String, body: [UInt8] = []) {
        script(path, [.bytes(Array(head.utf8)), .bytes(body)])
    }

    /// How many requests for `path` were answered so far.
    public func requestCount(_ path: String) -> Int { served.withLockedValue { $0[path] ?? 0 } }

    /// Stops accepting; connections being answered finish their script.
    public func stop() {
        guard
            !stopped.withLockedValue({ flag in
                defer { flag = true }; return flag
            })
        else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopped.withLockedValue({ $0 }) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            Thread { [self] in answer(connection) }.start()
        }
    }

    private func answer(_ fd: Int32) {
        var reset = false
        defer {
            if reset {
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            }
            close(fd)
        }
        guard let path = readRequestPath(fd) else { return }
        served.withLockedValue { $0[path, default: 0] += 1 }
        let steps = scripts.withLockedValue { $0[path] } ?? [.bytes(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8))]
        for step in steps {
            switch step {
            case .bytes(let bytes):
                guard write(fd, bytes) else { return }
            case .drip(let bytes, let every):
                for byte in bytes {
                    guard write(fd, [byte]) else { return }
                    Thread.sleep(forTimeInterval: Double(every.components.seconds) + Double(every.components.attoseconds) / 1e18)
                }
            case .reset:
                reset = true
                return
            }
        }
    }

    /// Reads the request head (up to 64 KiB) and returns its path without the query.
    private func readRequestPath(_ fd: Int32) -> String? {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        let end = Array("\r\n\r\n".utf8)
        while head.count < 65_536 {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            head += chunk[0..<count]
            if head.count >= 4, (0...(head.count - 4)).contains(where: { Array(head[$0..<($0 + 4)]) == end }) { break }
        }
        // Read the body too (token requests have one): closing with unread bytes would send an RST, and the
        // client could lose the answer before reading it.
        let text = String(decoding: head, as: UTF8.self)
        if let field = text.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
            let length = Int(field.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        {
            let headEnd = (0...(head.count - 4)).first { Array(head[$0..<($0 + 4)]) == end }.map { $0 + 4 } ?? head.count
            var remaining = min(length, 1 << 20) - (head.count - headEnd)
            while remaining > 0 {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, remaining), 0) }
                guard count > 0 else { break }
                remaining -= count
            }
        }
        let line = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let target = line.split(separator: " ").dropFirst().first ?? "/"
        return String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "/")
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
