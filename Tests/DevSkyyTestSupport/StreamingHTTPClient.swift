import Foundation
import Glibc
import NIOConcurrencyHelpers

/// A plain-socket HTTP/1.1 client for responses that do not end on their own (Server-Sent Events): sends one GET,
/// then hands out the decoded body as it arrives.
///
/// Blocking socket calls run on a thread of their own: on Linux the cooperative pool has few threads, and blocking
/// one starves the server under test.
public final class StreamingHTTPClient: Sendable {
    private let fd: Int32
    /// What has arrived: filled by the reading threads, read by the test.
    private let received = NIOLockedValueBox(Received())

    /// The last chunk (size 0) arrived: the server ended the response.
    public var ended: Bool { received.withLockedValue { $0.ended } }
    public var status: Int { received.withLockedValue { $0.status } }
    /// Header names lowercased.
    public var headers: [String: String] { received.withLockedValue { $0.headers } }

    /// Connects to 127.0.0.1:`port`, sends `GET path` with the extra headers and reads the response head.
    public init(port: Int, path: String, headers extra: [String: String] = [:], timeout: Duration = .seconds(5)) async throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        // Every property is set from here on, so a throw still closes the socket (in deinit).
        guard connected else { throw TestSupportError("cannot connect to 127.0.0.1:\(port)") }
        let request =
            (["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Accept: text/event-stream"]
            + extra.map { "\($0.key): \($0.value)" }).joined(separator: "\r\n") + "\r\n\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw TestSupportError("cannot send the request")
        }
        let deadline = ContinuousClock.now + timeout
        while !received.withLockedValue({ $0.headDone }) {
            guard try await receive(until: deadline) else { throw TestSupportError("no response head from 127.0.0.1:\(port)") }
        }
    }

    deinit {
        Glibc.close(fd)
    }

    /// Closes the connection, as a client that goes away.
    public func disconnect() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// The decoded body up to and including the next `marker` (consumed), or nil if it did not come in time.
    public func read(until marker: String, timeout: Duration = .seconds(5)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        let wanted = Array(marker.utf8)
        while true {
            let (text, over) = received.withLockedValue { ($0.take(through: wanted), $0.ended) }
            if let text { return text }
            if over { return nil }
            guard try await receive(until: deadline) else { return nil }
        }
    }

    /// Waits until the server ends the response; false if it did not in time.
    public func waitForEnd(timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !ended {
            guard try await receive(until: deadline) else { return ended }
        }
        return true
    }

    /// Reads what the socket has and parses it; false at the deadline or when the peer closed.
    private func receive(until deadline: ContinuousClock.Instant) async throws -> Bool {
        let left = max(0, (deadline - .now).pollMilliseconds)
        let fd = fd
        let chunk: [UInt8]? = await withCheckedContinuation { continuation in
            Thread {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, Int32(left)) == 1 else { return continuation.resume(returning: nil) }
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                continuation.resume(returning: count > 0 ? Array(buffer[..<count]) : nil)
            }.start()
        }
        guard let chunk else { return false }
        received.withLockedValue {
            $0.raw += chunk
            $0.parse()
        }
        return true
    }
}

/// The bytes received so far: the response head once complete, then the decoded body not yet read.
private struct Received {
    var raw: [UInt8] = []
    var body: [UInt8] = []
    var headDone = false
    var ended = false
    var status = 0
    var headers: [String: String] = [:]

    /// The decoded body up to and including `marker`, removed from the body; nil when it has not arrived.
    mutating func take(through marker: [UInt8]) -> String? {
        guard let end = Self.find(marker, in: body) else { return nil }
        defer { body.removeFirst(end) }
        return String(decoding: body[..<end], as: UTF8.self)
    }

    /// Moves the head into `status` and `headers`, and whole chunks of a chunked body into `body`.
    mutating func parse() {
        if !headDone {
            guard let end = Self.find(Array("\r\n\r\n".utf8), in: raw) else { return }
            let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            raw.removeFirst(end)
            headDone = true
        }
        guard headers["transfer-encoding"] == "chunked" else {
            body += raw
            raw = []
            return
        }
        while !ended, let lineEnd = Self.find(Array("\r\n".utf8), in: raw) {
            let sizeText = String(decoding: raw[..<(lineEnd - 2)], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), raw.count >= lineEnd + size + 2 else { return }
            body += raw[lineEnd..<(lineEnd + size)]
            raw.removeFirst(lineEnd + size + 2)
            if size == 0 { ended = true }
        }
    }

    /// The index just past the first occurrence of `needle`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }
}

extension Duration {
    fileprivate var pollMilliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
