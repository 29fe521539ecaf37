import Logging
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// The open connections of one listener, held to `listen.max_connections`.
///
/// Hummingbird's own limit stops accepting, which leaves new clients waiting in the backlog with no word why; over this
/// one they get a 503 at once (`ConnectionRefusal`). Refusals are logged at warning at most once per `warningInterval`.
final class ConnectionCap: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)
    /// When the last warning was logged, and the refusals since.
    private let warned = NIOLockedValueBox<(at: NIODeadline?, since: Int)>((nil, 0))
    static let warningInterval = TimeAmount.seconds(5)

    init(maximum: Int) {
        self.maximum = maximum
    }

    var count: Int { open.load(ordering: .relaxed) }

    /// Counts a new connection in, or says it is one too many (and leaves it out).
    func admit() -> Bool {
        if open.wrappingAdd(1, ordering: .relaxed).newValue <= maximum { return true }
        open.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// An admitted connection closed.
    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Logs a refusal, unless one was logged in the last `warningInterval`: then it is counted into the next line.
    func warnRefused(_ logger: Logger) {
        let now = NIODeadline.now()
        let refused: Int? = warned.withLockedValue { warned in
            warned.since += 1
            if let at = warned.at, now - at < Self.warningInterval { return nil }
            defer { warned = (now, 0) }
            return warned.since
        }
        guard let refused else { return }
        logger.warning(
            "refusing connections: the listener has listen.max_connections open",
            metadata: ["max_connections": "\(maximum)", "refused": "\(refused)"])
    }
}
