import DevSkyyCore
import NIOConcurrencyHelpers

/// Deliverable progress held in memory: read from Redis on first use, then kept current by the updates made through
/// the board.
///
/// The daemon is the only writer of the deliverable hashes, so after the first load only its own updates change
/// them: reads cost no Redis round trip, and the answers made from a version can be kept until the next change. A
/// hash changed in Redis by hand is seen after a restart. A load that fails is tried again on the next read.
public final class DeliverableBoard: Sendable {
    /// Reads after which the board stops waiting for a load no update raced and serves what it holds.
    static let loadAttempts = 3

    private let store: DeliverableStore
    private let state: NIOLockedValueBox<DeliverableBoardState>

    public init(store: DeliverableStore) {
        self.store = store
        state = NIOLockedValueBox(DeliverableBoardState(board: UInt32.random(in: .min ... .max)))
    }

    /// The progress of every deliverable these partnerships declare, loaded from Redis where the board lacks it.
    public func contents(for partnerships: [Partnership]) async throws(RedisError) -> Contents {
        for _ in 0..<Self.loadAttempts {
            switch state.withLockedValue({ $0.lookup(partnerships) }) {
            case .ready(let contents):
                return contents
            case .load(let began):
                let loaded = try await store.progress(of: partnerships)
                state.withLockedValue { $0.loaded(loaded.values.flatMap { $0 }, began: began) }
            }
        }
        // Updates to the same deliverables kept racing the loads: what the board holds is at most one update behind,
        // and the next read loads again.
        return state.withLockedValue { $0.contents }
    }

    /// Stores an update in Redis, then on the board.
    public func update(
        partnership: String, id: String, completion: Double?, status: String?, at time: Int64
    ) async throws(RedisError) -> DeliverableStore.Change {
        let change = try await store.update(partnership: partnership, id: id, completion: completion, status: status, at: time)
        state.withLockedValue { $0.apply(change) }
        return change
    }
}
