/// What is known about one collector's recent runs.
public struct CollectorStatus: Sendable, Equatable {
    public var name: String
    public var partnership: String
    public var up: Bool = false
    /// The last failure, without secrets; nil once a run succeeds.
    public var lastError: String?
    public var lastAttempt: Int64?
    public var lastSuccess: Int64?
    public var lastDuration: Duration = .zero
    public var lastSampleCount: Int = 0
    public var runs: Int = 0
    public var failures: Int = 0

    public init(name: String, partnership: String) {
        self.name = name
        self.partnership = partnership
    }
}

/// Whether Redis answers, as last seen by the writer.
public struct RedisStatus: Sendable, Equatable {
    public var endpoint: String
    /// nil until the first attempt to reach Redis has finished.
    public var up: Bool?
    public var lastError: String?

    public init(endpoint: String, up: Bool? = nil, lastError: String? = nil) {
        self.endpoint = endpoint
        self.up = up
        self.lastError = lastError
    }
}
