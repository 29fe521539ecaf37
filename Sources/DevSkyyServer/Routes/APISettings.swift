import DevSkyyCore

/// What the router holds every request to, from the `listen` section of the configuration.
public struct APISettings: Sendable, Equatable {
    /// Request bodies over this many bytes are refused with 413.
    public var maxBodyBytes: Int
    /// Origins allowed by CORS (normalized, or `["*"]`); empty turns CORS off.
    public var corsAllowedOrigins: [String]

    public init(maxBodyBytes: Int = ListenSettings.defaultMaxBodyBytes, corsAllowedOrigins: [String] = []) {
        self.maxBodyBytes = maxBodyBytes
        self.corsAllowedOrigins = corsAllowedOrigins
    }

    public init(_ listen: ListenSettings) {
        self.init(maxBodyBytes: listen.maxBodyBytes, corsAllowedOrigins: listen.corsAllowedOrigins)
    }
}
