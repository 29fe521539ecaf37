/// The event log's, the live streams' and the alert notifiers' counters since the daemon started: for `/metrics`.
public struct EventStatus: Sendable, Equatable {
    /// Events written to the Redis stream.
    public var stored = 0
    /// Events never written: pushed out of a full queue while Redis was away, or refused by Redis.
    public var dropped = 0
    /// Events waiting for Redis now.
    public var queued = 0
    /// Open event streams (Server-Sent Events).
    public var streamClients = 0
    /// Events that stream clients lost by reading too slowly.
    public var streamDropped = 0
    /// Per notifier (`webhook`, `alertmanager`): requests the receiver accepted, and requests given up on.
    public var notificationsSent: [String: Int] = [:]
    public var notificationsFailed: [String: Int] = [:]

    public init() {}
}
