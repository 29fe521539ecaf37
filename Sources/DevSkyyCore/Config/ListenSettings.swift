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
    /// Event-loop threads serving both listeners; nil: half the cores, at least one (`listen.threads: auto`).
    /// The snapshot's answers are written on these threads, so on a small machine one leaves the other cores to
    /// the collectors and to clients: on 2 cores one thread gave the same requests per second as two, with a
    /// third of the p99 latency (bench/query).
    public var threads: Int?

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
        threads: Int? = nil
    ) {
        self.unixPath = unixPath
        self.unixMode = unixMode
        self.tcp = tcp
        self.maxBodyBytes = maxBodyBytes
        self.corsAllowedOrigins = corsAllowedOrigins
        self.threads = threads
    }
}
