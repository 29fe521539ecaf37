import DevSkyyCore
import Logging
import NIOConcurrencyHelpers

/// A bounded, append-only log of opaque payloads on disk, read back oldest first; the format is in `OutboxFormat`.
///
/// Sample batches wait here while Redis is unreachable and are replayed, in append order, once it answers again, also
/// after a restart. Thread-safe; every call but `stats` and `isEmpty` does blocking file I/O under one lock, so call it off the cooperative pool
/// for large records. One `Outbox` per folder: a second, in this process or another, is refused.
public final class Outbox: Sendable {
    /// What the lock guards: the ledger and the open files.
    struct State {
        var ledger: OutboxLedger
        /// The open segment's file, read-write.
        var writer: OutboxFile?
        /// Appends written since the last fsync of `writer`.
        var writerDirty = false
        /// The acknowledged position was replaced since the last fsync.
        var positionDirty = false
        /// Files were created, renamed or removed since the last fsync of the folder.
        var directoryDirty = false
        /// Acknowledged in memory, but the `acknowledged` file could not be replaced (a full or read-only disk): a
        /// restart would replay those records again, which changes nothing in Redis.
        var positionUnsaved = false
        var health = OutboxHealth()
    }

    public let settings: OutboxSettings
    let directory: OutboxDirectory
    let logger: Logger
    private let lock: OutboxFile
    private let state: NIOLockedValueBox<State>
    /// The ledger's counts as of the last call that changed them, under a lock of their own: `stats` and `isEmpty`
    /// (read by every snapshot) never wait behind a write or an fsync to a slow disk.
    private let counts: NIOLockedValueBox<OutboxStats>
    /// Like `counts`: whether the folder took the last write, readable without waiting for the disk.
    let published = NIOLockedValueBox(OutboxHealth())

    /// Opens the outbox in `settings.directory`, creating the folder (mode 0700) if needed.
    ///
    /// Damage from a crash is repaired: in the newest segment everything from the first bad record on is cut off;
    /// in an older one the rest after it is skipped. Each repair is logged as a warning naming the file and offset.
    public init(settings: OutboxSettings, logger: Logger) throws(OutboxError) {
        self.settings = settings
        self.logger = logger
        directory = OutboxDirectory(path: settings.directory)
        try directory.create()
        // Read-only is enough for flock, and holds no write access to the mount: with it `mount -o remount,ro` would
        // fail (EBUSY) while the outbox holds nothing.
        lock = try OutboxFile.open(directory.file(OutboxFormat.lockFile), writable: false, create: true)
        do {
            try lock.lockExclusively()
            let recovered = try Self.recover(directory, logger: logger)
            counts = NIOLockedValueBox(recovered.ledger.stats)
            state = NIOLockedValueBox(recovered)
        } catch {
            lock.close()
            throw error
        }
    }

    deinit {
        let syncs = settings.fsync != .never
        state.withLockedValue { state in
            // Best effort for a caller that forgot `sync()` at shutdown; errors have nowhere to go here.
            if syncs && state.writerDirty { try? state.writer?.sync() }
            state.writer?.close()
        }
        lock.close()
    }

    /// Stores a payload at the end of the log, made durable as `settings.fsync` says.
    ///
    /// When the log is full, `.dropOldest` deletes the oldest records to make room (the oldest segment whole, or the
    /// oldest records one by one once only the open segment is left); `.dropNewest` leaves the log alone and returns
    /// false. Either way the records given up count in `stats.droppedTotal`.
    /// - Returns: whether the payload was stored.
    /// - Throws: `isRecordTooLarge` when the record alone would pass `maxBytes`; an I/O error when the disk refuses,
    ///   and then nothing was stored.
    @discardableResult
    public func append(_ payload: [UInt8]) throws(OutboxError) -> Bool {
        let size = OutboxFormat.headerSize + payload.count
        guard payload.count <= Int(UInt32.max), size <= settings.maxBytes else {
            throw .recordTooLarge(
                "a record of \(payload.count) bytes cannot fit in the outbox at \(settings.directory) (at most \(settings.maxBytes) bytes)"
            )
        }
        let record = OutboxFormat.record(payload)
        return try locked { (state: inout State) throws(OutboxError) -> Bool in
            if state.ledger.stats.bytes + size > settings.maxBytes {
                guard settings.overflow == .dropOldest else {
                    state.ledger.refused()
                    note(
                        OutboxHealth(
                            status: .full, error: "the outbox at \(settings.directory) holds its max_size of \(settings.maxBytes) bytes"),
                        in: &state)
                    return false
                }
                try noting(&state) { (state: inout State) throws(OutboxError) in try makeRoom(for: size, in: &state) }
            }
            try noting(&state) { (state: inout State) throws(OutboxError) in
                let writer = try writer(for: size, in: &state)
                let offset = state.ledger.openSegment!.end
                do throws(OutboxError) {
                    try writer.write(record, at: offset)
                    if settings.fsync == .always { try writer.sync() }
                } catch {
                    // Leave no partial record behind: the next append writes at the same offset anyway.
                    try? writer.truncate(to: offset)
                    throw error
                }
                state.ledger.appended(size: size)
                state.writerDirty = settings.fsync != .always
            }
            return true
        }
    }

    /// The oldest records not yet acknowledged, at most `limit`, in append order. Reading does not consume them.
    public func oldest(limit: Int) throws(OutboxError) -> [OutboxRecord] {
        try locked { (state: inout State) throws(OutboxError) -> [OutboxRecord] in
            var records: [OutboxRecord] = []
            do throws(OutboxError) {
                for segment in state.ledger.segments where records.count < limit && segment.records > 0 {
                    try read(segment, upTo: limit, into: &records, state: &state)
                }
            } catch {
                // Records that cannot be read back are a failing disk, whatever errno says.
                note(OutboxHealth(status: .failing, error: error.message), in: &state)
                throw error
            }
            return records
        }
    }

    /// Marks `record` and every record before it done: they are never returned again, and segments entirely done
    /// are deleted. A record already done (or dropped meanwhile) is fine.
    ///
    /// The position is saved on disk so a restart does not replay them; when it cannot be (a full or read-only disk),
    /// they are done in memory all the same, `health` says why, and `recheck()` saves it later: replaying a batch
    /// again after a restart changes nothing in Redis, replaying it forever would stop the writer.
    /// - Throws: when the record did not come from this `Outbox`.
    public func acknowledge(through record: OutboxRecord) throws(OutboxError) {
        try locked { (state: inout State) throws(OutboxError) in
            switch state.ledger.check(record.position) {
            case .alreadyDone: return
            case .unknown: throw .foreignRecord("the record is not one of the outbox at \(settings.directory)")
            case .pending: break
            }
            savePositionOrRemember(segment: record.position.segment, offset: record.position.end, in: &state)
            // Deleting finished segments is safe before the position is saved: a stale position only replays more.
            remove(state.ledger.acknowledge(through: record.position), in: &state)
        }
    }

    /// Tries the disk again after a failure: saves the position still unsaved, or else writes and removes a small
    /// file in the folder, and updates `health` with the outcome. Call it now and then while `health` is not ok.
    public func recheck() {
        state.withLockedValue { (state: inout State) in
            if state.positionUnsaved {
                guard let first = state.ledger.segments.first else {
                    // Every segment is gone: whatever the old position names, nothing is left to replay twice.
                    state.positionUnsaved = false
                    note(OutboxHealth(), in: &state)
                    return
                }
                savePositionOrRemember(segment: first.number, offset: first.start, in: &state)
                return
            }
            try? noting(&state) { (_: inout State) throws(OutboxError) in
                try directory.replace(OutboxFormat.probeFile, with: [0], durably: false)
                try directory.remove(OutboxFormat.probeFile)
            }
        }
    }

    public var stats: OutboxStats {
        counts.withLockedValue { $0 }
    }

    /// Whether the folder took the last write (append, acknowledgement, sync or `recheck()`).
    public var health: OutboxHealth {
        published.withLockedValue { $0 }
    }

    public var isEmpty: Bool {
        counts.withLockedValue { $0.records == 0 }
    }

    /// Runs `body` under the state lock and publishes the ledger's counts after it, thrown or not.
    private func locked<T>(_ body: (inout State) throws(OutboxError) -> T) throws(OutboxError) -> T {
        // The lock's closure throws untyped errors: the typed one crosses it inside a Result.
        try state.withLockedValue { (state: inout State) -> Result<T, OutboxError> in
            defer { counts.withLockedValue { [stats = state.ledger.stats] in $0 = stats } }
            return Result { () throws(OutboxError) in try body(&state) }
        }.get()
    }

    /// Forces appends, the acknowledged position and the folder's changes to the disk now, whatever `settings.fsync`
    /// says: the `.interval` timer and shutdown call it.
    public func sync() throws(OutboxError) {
        try state.withLockedValue { (state: inout State) -> Result<Void, OutboxError> in
            Result { () throws(OutboxError) in
                try noting(&state) { (state: inout State) throws(OutboxError) in
                    if state.writerDirty, let writer = state.writer {
                        try writer.sync()
                        state.writerDirty = false
                    }
                    if state.positionDirty {
                        if let file = try OutboxFile.openIfPresent(directory.file(OutboxFormat.positionFile)) {
                            defer { file.close() }
                            try file.sync()
                        }
                        state.positionDirty = false
                    }
                    if state.directoryDirty {
                        try directory.sync()
                        state.directoryDirty = false
                    }
                }
            }
        }.get()
    }
}
