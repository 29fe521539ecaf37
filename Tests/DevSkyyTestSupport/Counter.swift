import Synchronization

/// A thread-safe counter for scripted handlers and callbacks.
public final class Counter: Sendable {
    private let count = Mutex(0)

    public init() {}

    /// Increments and returns the new value.
    @discardableResult
    public func next() -> Int {
        count.withLock {
            $0 += 1; return $0
        }
    }
    public func set(_ value: Int) { count.withLock { $0 = value } }
    public var value: Int { count.withLock { $0 } }
}
