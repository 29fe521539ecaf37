/// Samples kept as the collectors' own arrays, one group per collector run, read as one sequence.
///
/// A snapshot is taken every second over every fresh sample; holding the runs' arrays (shared, copy-on-write)
/// instead of concatenating them makes that a copy of a few references per collector, not of every sample.
public struct SampleGroups: Sequence, Sendable, Equatable, ExpressibleByArrayLiteral {
    public private(set) var groups: [[Sample]]
    /// The number of samples in all groups.
    public private(set) var count: Int

    public init(_ groups: [[Sample]] = []) {
        self.groups = groups
        count = groups.reduce(0) { $0 + $1.count }
    }

    public init(arrayLiteral samples: Sample...) { self.init([samples]) }

    public var isEmpty: Bool { count == 0 }

    public mutating func append(_ group: [Sample]) {
        guard !group.isEmpty else { return }
        groups.append(group)
        count += group.count
    }

    public func makeIterator() -> FlattenSequence<[[Sample]]>.Iterator { groups.joined().makeIterator() }
}
