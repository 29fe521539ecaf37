/// One HTTP or file fetch, as the engine runs it.
public struct FetchRequest: Sendable {
    public var url: String
    public var method: String
    public var body: [UInt8]?
    public var headers: [String: String]
    public var timeout: Duration
    /// Reach an HTTP server over this Unix socket instead of TCP (the URL's host is then only a name).
    public var unixSocketPath: String?
    /// The transfer is aborted once the body grows past this.
    public var maxBodyBytes: Int
    /// A CA bundle to verify the server with, instead of the system's.
    public var caFile: String?
    public var skipTLSVerify: Bool
    public var proxy: String?

    public init(
        url: String, method: String = "GET", body: [UInt8]? = nil, headers: [String: String] = [:],
        timeout: Duration, unixSocketPath: String? = nil, maxBodyBytes: Int = 16 << 20,
        caFile: String? = nil, skipTLSVerify: Bool = false, proxy: String? = nil
    ) {
        self.caFile = caFile
        self.skipTLSVerify = skipTLSVerify
        self.proxy = proxy
        self.url = url
        self.method = method
        self.body = body
        self.headers = headers
        self.timeout = timeout
        self.unixSocketPath = unixSocketPath
        self.maxBodyBytes = maxBodyBytes
    }
}

/// What came back from a fetch that completed at the transport level.
public struct FetchResponse: Sendable {
    /// The HTTP status; 0 for `file://`.
    public var status: Int
    public var body: [UInt8]
    public var contentType: String?
    /// Header names lowercased; the last value of a repeated header.
    public var headers: [String: String] = [:]

    public var isSuccess: Bool { status == 0 || (200..<300).contains(status) }
}

/// A fetch that failed: transport errors from libcurl, or a body over the limit.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case timeout, connect, tooLarge = "too_large", tls, transport
    }

    public var kind: Kind
    public var message: String

    public var description: String { message }
}
