import NIOConcurrencyHelpers

/// A counting semaphore: at most `limit` collector runs fetch at once.
///
/// A lock rather than an actor: a free slot is taken without suspending, so a run that need not wait
/// costs no executor hop (and at low rates no thread wake-up) to enter or leave its slot.
final class FetchSlots: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: NIOLockedValueBox<State>

    init(limit: Int) {
        state = NIOLockedValueBox(State(free: max(1, limit)))
    }

    func acquire() async {
        let taken = state.withLockedValue { state in
            guard state.free > 0 else { return false }
            state.free -= 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // A slot may have been freed between the check above and here.
            let resumeNow = state.withLockedValue { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Hands the slot straight to the longest waiter, if any.
    func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
