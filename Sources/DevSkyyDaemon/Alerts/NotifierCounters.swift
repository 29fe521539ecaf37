import Synchronization

/// Requests one notifier made, for the daemon's self-metrics.
public struct NotifierCounts: Sendable, Equatable {
    /// Requests the receiver accepted (2xx), after any retries.
    public var sent = 0
    /// Requests given up on: retries spent, or an answer that retrying cannot fix.
    public var failed = 0

    public init(sent: Int = 0, failed: Int = 0) {
        self.sent = sent
        self.failed = failed
    }
}

/// Hot counters shared by a notifier and whoever reads the self-metrics.
final class NotifierCounters: Sendable {
    private let sent = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    func record(success: Bool) {
        if success {
            sent.add(1, ordering: .relaxed)
        } else {
            failed.add(1, ordering: .relaxed)
        }
    }

    var counts: NotifierCounts { NotifierCounts(sent: sent.load(ordering: .relaxed), failed: failed.load(ordering: .relaxed)) }
}
