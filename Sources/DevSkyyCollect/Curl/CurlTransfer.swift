import CCurl
import DevSkyyCore
import Foundation

/// One libcurl easy handle with its buffers: the only place that sets curl options.
///
/// Not thread-safe: it is used by one thread at a time (the engine thread, or the caller of `performBlocking`).
// @unchecked: handed to the engine thread through its locked queue and then used only there.
final class CurlTransfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let request: FetchRequest
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var received: [UInt8] = []
    /// Response headers of the last response (after redirects), names lowercased.
    var headers: [String: String] = [:]
    var overLimit = false
    var completion: (@Sendable (Result<FetchResponse, FetchError>) -> Void)?

    init(_ request: FetchRequest) throws(FetchError) {
        CurlGlobal.initialize()
        guard let handle = curl_easy_init() else {
            throw FetchError(kind: .transport, message: "curl_easy_init failed")
        }
        self.handle = handle
        self.request = request
        errorBuffer.initialize(to: 0)
        try configure()
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure() throws(FetchError) {
        let timeoutMs = max(1, Int(request.timeout.milliseconds))
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_TIMEOUT_MS, timeoutMs)
        try set(CURLOPT_CONNECTTIMEOUT_MS, timeoutMs)
        try set(CURLOPT_PROTOCOLS_STR, "http,https,file")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 1)
        try set(CURLOPT_MAXREDIRS, 5)
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_USERAGENT, "devskyyd/\(DevSkyyVersion.string)")
        try check(devskyy_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(devskyy_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.write))
        try check(devskyy_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque()))
        try check(devskyy_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION, CurlCallbacks.header))
        try check(devskyy_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(self).toOpaque()))
        // HTTP/2 where a TLS server offers it through ALPN; HTTP/1.1 otherwise.
        try set(CURLOPT_HTTP_VERSION, 4)  // CURL_HTTP_VERSION_2TLS
        if let caFile = request.caFile { try set(CURLOPT_CAINFO, caFile) }
        if request.skipTLSVerify {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let proxy = request.proxy { try set(CURLOPT_PROXY, proxy) }
        if let path = request.unixSocketPath { try set(CURLOPT_UNIX_SOCKET_PATH, path) }
        if request.method != "GET" { try set(CURLOPT_CUSTOMREQUEST, request.method) }
        if let body = request.body {
            try set(CURLOPT_POSTFIELDSIZE, body.count)
            // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
            let code = body.withUnsafeBytes {
                devskyy_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
            }
            try check(code)
        }
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            // Configuration refuses such fields at load; this holds for every other caller too.
            if let problem = HeaderField.problem(name: name, value: value) {
                throw FetchError(kind: .transport, message: "request header \(name): \(problem)")
            }
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // An empty `Expect:` stops curl's `Expect: 100-continue` on bodies, which costs a second with receivers
        // that do not answer it (webhooks, token endpoints).
        if request.body != nil, !request.headers.keys.contains(where: { $0.lowercased() == "expect" }) {
            headerList = curl_slist_append(headerList, "Expect:")
        }
        if let headerList { try check(devskyy_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)) }
    }

    private func set(_ option: CURLoption, _ value: Int) throws(FetchError) {
        try check(devskyy_curl_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(FetchError) {
        try check(devskyy_curl_setopt_string(handle, option, value))
    }

    private func check(_ code: CURLcode) throws(FetchError) {
        guard code == CURLE_OK else { throw FetchError(kind: .transport, message: String(cString: curl_easy_strerror(code))) }
    }

    /// Records one header line of those the collectors read; a status line starts a new response
    /// (after a redirect or a 100). Called for every header line of every fetch, so the names are
    /// compared as bytes and only kept headers become strings.
    func header(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        let kept = Self.keptHeaders.contains { Self.equalsIgnoringCase(name, $0) }
        guard kept || Self.keptPrefixes.contains(where: { Self.hasPrefixIgnoringCase(name, $0) }) else { return }
        // Header values end in CR LF and may be padded with spaces or tabs.
        var value = UnsafeRawBufferPointer(rebasing: line[(colon + 1)...])[...]
        while let first = value.first, first <= 0x20 { value = value.dropFirst() }
        while let last = value.last, last <= 0x20 { value = value.dropLast() }
        let key = String(decoding: name, as: UTF8.self).lowercased()
        // A source may send thousands of `X-RateLimit-…` lines: keep a few dozen, each value bounded.
        guard headers.count < Self.keptHeaderLimit || headers[key] != nil, value.count <= 4_096 else { return }
        headers[key] = String(decoding: value, as: UTF8.self)
    }

    /// Headers anything downstream reads (lowercase); the rest are not kept.
    static let keptHeaders = ["etag", "last-modified", "retry-after", "link"]
    static let keptPrefixes = ["x-ratelimit-", "ratelimit-"]
    static let keptHeaderLimit = 32

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: String) -> Bool {
        bytes.count == lowercase.utf8.count && hasPrefixIgnoringCase(bytes, lowercase)
    }

    private static func hasPrefixIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: String) -> Bool {
        guard bytes.count >= lowercase.utf8.count else { return false }
        return zip(bytes, lowercase.utf8).allSatisfy { byte, expected in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
        }
    }

    /// Appends a received chunk; false aborts the transfer.
    func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard received.count + chunk.count <= request.maxBodyBytes else {
            overLimit = true
            return false
        }
        received.append(contentsOf: chunk)
        return true
    }

    /// The outcome of a finished transfer, from libcurl's result code.
    func result(_ code: CURLcode) -> Result<FetchResponse, FetchError> {
        if overLimit {
            return .failure(.init(kind: .tooLarge, message: "response body larger than \(request.maxBodyBytes) bytes"))
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            let kind: FetchError.Kind
            switch code {
            case CURLE_OPERATION_TIMEDOUT: kind = .timeout
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .connect
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE: kind = .tls
            default: kind = .transport
            }
            return .failure(.init(kind: kind, message: message))
        }
        var status = 0
        _ = devskyy_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var typePointer: UnsafeMutableRawPointer?
        _ = devskyy_curl_getinfo_pointer(handle, CURLINFO_CONTENT_TYPE, &typePointer)
        let contentType = typePointer.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) }
        return .success(FetchResponse(status: status, body: received, contentType: contentType, headers: headers))
    }

    /// Runs the transfer on the calling thread (for the command-line client).
    func performBlocking() -> Result<FetchResponse, FetchError> {
        result(curl_easy_perform(handle))
    }
}

/// Runs one fetch on the calling thread, blocking it: for the command-line client.
public func fetchBlocking(_ request: FetchRequest) -> Result<FetchResponse, FetchError> {
    do {
        return try CurlTransfer(request).performBlocking()
    } catch {
        return .failure(error)
    }
}

enum CurlCallbacks {
    /// libcurl's header callback, called once per header line.
    static let header: devskyy_curl_write_callback = { pointer, size, count, userdata in
        guard let userdata else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        transfer.header(UnsafeRawBufferPointer(start: pointer, count: length))
        return length
    }

    /// libcurl's write callback; `userdata` is the unretained `CurlTransfer`.
    static let write: devskyy_curl_write_callback = { pointer, size, count, userdata in
        guard let userdata else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        guard transfer.append(UnsafeRawBufferPointer(start: pointer, count: length)) else { return 0 }
        return length
    }
}

enum CurlGlobal {
    // 3 is CURL_GLOBAL_ALL, a macro Swift cannot import.
    private static let once: Void = { _ = curl_global_init(3) }()

    static func initialize() { once }
}
