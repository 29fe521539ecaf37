import DevSkyyCore

/// What one source document yielded: the samples, and what could not be read out of it.
public struct ExtractionResult: Sendable, Equatable {
    public var samples: [Sample]
    /// Paths that matched nothing usable, malformed lines, values skipped: the collector stays up.
    public var problems: [String]

    public init(samples: [Sample] = [], problems: [String] = []) {
        self.samples = samples
        self.problems = problems
    }
}
