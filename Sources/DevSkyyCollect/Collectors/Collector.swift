import DevSkyyCore

/// A source of samples, run by the scheduler at its interval.
public protocol Collector: Sendable {
    var name: String { get }
    var partnership: String { get }
    var interval: Duration { get }
    /// Collects once. Throws `CollectError` when nothing could be read.
    func collect(timestamp: Int64) async throws(CollectError) -> CollectOutcome
}

/// What one successful run produced.
public struct CollectOutcome: Sendable {
    public var samples: [Sample]
    /// Paths that matched nothing usable: the run still counts as up.
    public var problems: [String]

    public init(samples: [Sample], problems: [String]) {
        self.samples = samples
        self.problems = problems
    }
}

/// Why a run produced nothing; the message never holds header values or other secrets.
public struct CollectError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
