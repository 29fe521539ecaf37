import NIOConcurrencyHelpers

/// A thread-safe counter for scripted handlers and callbacks.
public final class Counter: Sendable {
    private let count = NIOLockedValueBox(0)

    public init() {}

    /// Increments and returns the new value.
    @discardableResult
    public func next() -> Int {
        count.withLockedValue {
            $0 += 1; return $0
        }
    }
    public func set(_ value: Int) { count.withLockedValue { $0 = value } }
    public var value: Int { count.withLockedValue { $0 } }
}
