import DevSkyyCore

extension RedisKeys {
    /// Health transitions: a capped stream, entry ID `ms-seq` from the event's time (see the README).
    public var events: String { "\(prefix):events" }
}
