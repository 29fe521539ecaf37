import NIOConcurrencyHelpers

/// Which listeners accept connections, for the readiness check.
public final class BoundListeners: Sendable {
    /// How many listeners the configuration enables.
    public let expected: Int
    private let bound = NIOLockedValueBox<[String]>([])

    public init(expected: Int) {
        self.expected = expected
    }

    /// Records a listener once it accepts connections (`tcp 127.0.0.1:9464`, `unix /run/devskyy/devskyyd.sock`).
    public func add(_ description: String) {
        bound.withLockedValue { $0.append(description) }
    }

    public var descriptions: [String] { bound.withLockedValue { $0 } }
}
