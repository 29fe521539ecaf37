import DevSkyyCore

/// Receives the outcome of every collector run.
public protocol CollectionSink: Sendable {
    func collected(
        collector: String, result: Result<CollectOutcome, CollectError>, timestamp: Int64, duration: Duration
    ) async
}
