import Foundation
import Glibc

/// One HTTP/1.1 request over a plain socket (TCP on 127.0.0.1, or a Unix socket) with `Connection: close`,
/// answering every response header: libcurl's fetcher keeps only the few the collectors read.
public enum PlainHTTP {
    public struct Answer: Sendable {
        public var status: Int
        /// Names lowercased; the last value of a repeated header.
        public var headers: [String: String]
        public var body: [UInt8]

        public var contentType: String? { headers["content-type"] }
    }

    public static func request(
        _ method: String = "GET", _ path: String, port: Int? = nil, unixPath: String? = nil, headers: [String: String] = [:],
        body: [UInt8]? = nil
    ) async throws -> Answer {
        try await RawSocket.offThread { try blocking(method, path, port: port, unixPath: unixPath, headers: headers, body: body ?? []) }
    }

    /// Sends `raw` as it is (several requests one after the other, to test pipelining) and reads until the server
    /// closes the connection: the last request should ask for that (`Connection: close`). The answers in order.
    public static func pipelined(_ raw: [UInt8], port: Int? = nil, unixPath: String? = nil) async throws -> [Answer] {
        try await RawSocket.offThread { try answers(in: exchange(raw, port: port, unixPath: unixPath)) }
    }

    static func blocking(
        _ method: String, _ path: String, port: Int?, unixPath: String?, headers: [String: String], body: [UInt8]
    ) throws -> Answer {
        // `Transfer-Encoding: chunked` in `headers` sends the body in chunks; a `Content-Length` there is sent as
        // given, whatever the body's size, to test a server that must answer before reading it.
        let names = Set(headers.keys.map { $0.lowercased() })
        let chunked = names.contains("transfer-encoding")
        let lines =
            ["\(method) \(path) HTTP/1.1", "Host: localhost", "Connection: close"]
            + (chunked || names.contains("content-length") ? [] : ["Content-Length: \(body.count)"])
            + headers.map { "\($0.key): \($0.value)" }
        let request = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + (chunked ? chunks(body) : body)
        guard let answer = try answers(in: exchange(request, port: port, unixPath: unixPath)).first else {
            throw TestSupportError("no response head")
        }
        return answer
    }

    /// Connects, sends `request` and returns every byte read until the server closes (or 10 s pass in silence).
    private static func exchange(_ request: [UInt8], port: Int?, unixPath: String?) throws -> [UInt8] {
        let socket = try RawSocket(port: port, unixPath: unixPath)
        guard socket.send(request) == request.count else { throw TestSupportError("cannot send the request") }
        return socket.receiveAll().bytes
    }

    /// The answers in `raw`, one after the other: bodies framed by `Content-Length` (none for 304), or chunked to
    /// the end.
    public static func answers(in raw: [UInt8]) throws -> [Answer] {
        let separator = Array("\r\n\r\n".utf8)
        var answers: [Answer] = []
        var start = 0
        while start < raw.count {
            guard let end = (start...max(start, raw.count - 4)).first(where: { Array(raw[$0..<min(raw.count, $0 + 4)]) == separator })
            else {
                throw TestSupportError("no response head")
            }
            let head = String(decoding: raw[start..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
            var fields: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let rest = raw[(end + 4)...]
            if fields["transfer-encoding"] == "chunked" {
                answers.append(Answer(status: status, headers: fields, body: dechunk(Array(rest))))
                break
            }
            let length = status == 304 ? 0 : fields["content-length"].flatMap { Int($0) } ?? rest.count
            let bodyEnd = min(raw.count, end + 4 + length)
            answers.append(Answer(status: status, headers: fields, body: Array(raw[(end + 4)..<bodyEnd])))
            start = bodyEnd
        }
        return answers
    }

    /// The body in chunks of at most 1 KiB, then the last, empty chunk.
    private static func chunks(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for start in stride(from: 0, to: body.count, by: 1_024) {
            let chunk = body[start..<min(body.count, start + 1_024)]
            out += Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8)
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            out += bytes[start..<min(bytes.count, start + size)]
            index = start + size + 2
        }
        return out
    }
}
