/// Where the query API listens, and the limits every request to it is held to.
public struct ListenSettings: Sendable, Equatable {
    /// The largest request body accepted when `listen.max_body` is not set.
    public static let defaultMaxBodyBytes = 64 << 10

    /// Unix socket path; nil disables the listener.
    public var unixPath: String?
    public var unixMode: UInt16
    /// TCP host and port; nil disables the listener.
    public var tcp: HostPort?
    /// Request bodies over this many bytes are refused with 413.
    public var maxBodyBytes: Int
    /// Origins (`https://dash.example`, lowercased, no default port) browsers may call the API from, or `["*"]` for
    /// any; empty sends no CORS header at all.
    public var corsAllowedOrigins: [String]
    /// The names TCP requests' `Host` may carry (lowercased, without port, IPv6 in brackets); empty means the listen
    /// address and the loopback names (`effectiveAllowedHosts`). Others are answered 421.
    public var allowedHosts: [String]
    /// Event-loop threads serving both listeners; nil: half the cores, at least one (`listen.threads: auto`).
    /// The snapshot's answers are written on these threads, so on a small machine one leaves the other cores to
    /// the collectors and to clients: on 2 cores one thread gave the same requests per second as two, with a
    /// third of the p99 latency (bench/query).
    public var threads: Int?

    /// Time a client has to send a whole request (head and body) once it sends its first byte, or once it connects:
    /// then the connection is closed (after a 408 when nothing of that request was answered). Also bounds how long
    /// the rest of a refused request is read and discarded before the close.
    public var readTimeout: Duration
    /// Time a kept-alive connection may wait for its next request before it is closed.
    public var idleTimeout: Duration
    /// Open connections per listener; one more is answered 503 and closed.
    public var maxConnections: Int

    public static let defaultReadTimeout = Duration.seconds(10)
    public static let defaultIdleTimeout = Duration.seconds(60)
    /// Two listeners at 400 leave a 1024-descriptor limit (a shell's default; the unit raises it) room for the
    /// collectors, Redis, the outbox and connections being refused.
    public static let defaultMaxConnections = 400

    /// The most event-loop threads `listen.threads` may ask for.
    public static let maxThreads = 64

    /// The thread count to start: `threads`, or half of `cores` (at least one).
    public func eventLoopThreads(cores: Int) -> Int { threads ?? max(1, cores / 2) }

    /// How many listeners are enabled (0 to 2).
    public var enabledCount: Int { (unixPath == nil ? 0 : 1) + (tcp == nil ? 0 : 1) }

    public init(
        unixPath: String? = "/run/devskyy/devskyyd.sock",
        unixMode: UInt16 = 0o660,
        tcp: HostPort? = HostPort(host: "127.0.0.1", port: 9464),
        maxBodyBytes: Int = defaultMaxBodyBytes,
        corsAllowedOrigins: [String] = [],
        allowedHosts: [String] = [],
        threads: Int? = nil,
        readTimeout: Duration = defaultReadTimeout,
        idleTimeout: Duration = defaultIdleTimeout,
        maxConnections: Int = defaultMaxConnections
    ) {
        self.unixPath = unixPath
        self.unixMode = unixMode
        self.tcp = tcp
        self.maxBodyBytes = maxBodyBytes
        self.corsAllowedOrigins = corsAllowedOrigins
        self.allowedHosts = allowedHosts
        self.threads = threads
        self.readTimeout = readTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}
