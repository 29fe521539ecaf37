import DevSkyyCore

/// Keeping `health` true to the last write: every write to the folder goes through `noting`.
extension Outbox {
    /// Runs a write to the folder, and records in `health` whether it worked.
    func noting(_ state: inout State, _ body: (inout State) throws(OutboxError) -> Void) throws(OutboxError) {
        do {
            try body(&state)
        } catch {
            note(OutboxHealth(status: error.outboxStatus, error: error.message), in: &state)
            throw error
        }
        // A write that worked while the position is still unsaved leaves the outbox short of ok: `recheck()` saves it.
        if !state.positionUnsaved { note(OutboxHealth(), in: &state) }
    }

    /// Saves how far the log is done; when the disk refuses, remembers that it must be saved later.
    func savePositionOrRemember(segment: UInt64, offset: Int, in state: inout State) {
        do {
            try noting(&state) { (state: inout State) throws(OutboxError) in
                state.positionUnsaved = false
                do throws(OutboxError) {
                    try savePosition(segment: segment, offset: offset, in: &state)
                } catch {
                    state.positionUnsaved = true
                    throw error
                }
            }
        } catch {
            // Logged once per change of health, by `note`.
        }
    }

    /// Publishes a new health, logging the changes: once when the folder fails, once when it recovers.
    func note(_ health: OutboxHealth, in state: inout State) {
        let previous = state.health
        state.health = health
        published.withLockedValue { $0 = health }
        if health.status != .ok && previous.status != health.status {
            logger.error(
                "outbox \(health.status.rawValue): \(health.error ?? "")",
                metadata: ["consequence": "batches go straight to Redis while it answers; while it does not, they are dropped"])
        } else if health.status == .ok && previous.status != .ok {
            logger.notice("outbox writable again")
        }
    }
}
