import DevSkyyCore

/// What `DeliverableBoard` knows of the deliverables' progress, as a value: loads and updates are events on it, so the
/// ordering rules are tested without Redis.
///
/// Loads and updates run concurrently, and an update's answer can come back after a later update's. Three rules keep
/// the board equal to Redis:
/// - a loaded value never replaces one that an update set after the load began (the load may have read before the
///   write);
/// - an update applies only on top of the value its transaction read (`Change.old`); otherwise updates arrived out of
///   order and the deliverable is read again;
/// - a deliverable the board has not loaded takes the update's value, since Redis held it once the write returned.
public struct DeliverableBoardState: Sendable {
    /// One deliverable of one partnership.
    struct Key: Hashable, Sendable {
        var partnership: String
        var id: String
    }

    /// What a lookup found: every deliverable asked for, or the need to load them from Redis.
    public enum Lookup: Sendable {
        case ready(DeliverableBoard.Contents)
        /// Load, then hand the result to `loaded(_:began:)` with this mark.
        case load(began: Int)
    }

    private let board: UInt32
    private var entries: [Key: DeliverableProgress] = [:]
    /// Deliverables whose updates came out of order: known to differ from Redis until read again.
    private var stale: Set<Key> = []
    /// Goes up with every update and every load that changed something: the contents' version.
    public private(set) var version = 0
    /// The version each deliverable's last update made, so a load knows what it may overwrite: the version only
    /// goes up, so an update after the load's lookup is above the version the lookup saw.
    private var touched: [Key: Int] = [:]

    /// - Parameter board: the board's mark, told apart in `Stamp`s.
    public init(board: UInt32) {
        self.board = board
    }

    /// The progress of every deliverable these partnerships declare, if the board holds all of it.
    public func lookup(_ partnerships: [Partnership]) -> Lookup {
        let keys = partnerships.flatMap { p in p.deliverables.map { Key(partnership: p.id, id: $0.id) } }
        guard keys.allSatisfy({ entries[$0] != nil && !stale.contains($0) }) else { return .load(began: version) }
        return .ready(contents)
    }

    /// What the board holds now, complete or not; deliverables it lacks read as the defaults.
    public var contents: DeliverableBoard.Contents {
        DeliverableBoard.Contents(entries: entries, stamp: .init(board: board, version: version))
    }

    /// Installs what a load read, but for deliverables updated since it began (`began` from `lookup`).
    public mutating func loaded(_ progress: [DeliverableProgress], began: Int) {
        var changed = false
        for item in progress {
            let key = Key(partnership: item.partnership, id: item.id)
            if let last = touched[key], last > began { continue }
            stale.remove(key)
            if entries[key] != item {
                entries[key] = item
                changed = true
            }
        }
        if changed { version += 1 }
    }

    /// Records an update Redis has stored.
    public mutating func apply(_ change: DeliverableStore.Change) {
        let key = Key(partnership: change.new.partnership, id: change.new.id)
        version += 1
        touched[key] = version
        switch entries[key] {
        case nil:
            entries[key] = change.new
        case change.old? where !stale.contains(key):
            entries[key] = change.new
        default:
            stale.insert(key)
        }
    }
}
