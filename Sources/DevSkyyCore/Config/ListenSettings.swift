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

    /// How many listeners are enabled (0 to 2).
    public var enabledCount: Int { (unixPath == nil ? 0 : 1) + (tcp == nil ? 0 : 1) }

    public init(
        unixPath: String? = "/run/devskyy/devskyyd.sock",
        unixMode: UInt16 = 0o660,
        tcp: HostPort? = HostPort(host: "127.0.0.1", port: 9464),
        maxBodyBytes: Int = defaultMaxBodyBytes,
        corsAllowedOrigins: [String] = []
    ) {
        self.unixPath = unixPath
        self.unixMode = unixMode
        self.tcp = tcp
        self.maxBodyBytes = maxBodyBytes
        self.corsAllowedOrigins = corsAllowedOrigins
    }
}
