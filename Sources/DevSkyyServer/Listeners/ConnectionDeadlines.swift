import NIOCore

/// When a connection that waits on its client is given up, fed the connection's events: a value type tested
/// without I/O.
///
/// A client has `readTimeout` to send a whole request, head and body, counted from its first byte (or from the
/// connection's opening, for the first request), and `idleTimeout` between an answer and the next request's first
/// byte. While the server is answering nothing runs: a long answer (the event stream) is the server's doing. A request
/// pipelined behind answers still being written starts its clock when they are done, as the server reads it only then.
struct ConnectionDeadlines {
    /// What to do once the deadline passed.
    enum Expiry: Equatable {
        /// Not yet: wait for the deadline, or for the next event when none is armed.
        case wait
        /// Nothing is owed to the client: close. `read` tells a stalled request from an idle keep-alive connection.
        case close(read: Bool)
        /// A request's head is incomplete and nothing was answered: 408, then close.
        case answerTimeout
        /// The router waits for the rest of a request's body: fail its read, so it answers 408 and the connection ends.
        case failBody
    }

    let readTimeout: TimeAmount
    let idleTimeout: TimeAmount
    /// When the connection is given up; nil while the server is answering.
    private(set) var deadline: NIODeadline?
    /// Requests whose head arrived and whose answer has not been written to its end.
    private var unanswered = 0
    /// Bytes of a request arrived and its end has not.
    private var reading = false
    /// The request being read has its head (the router has it).
    private var headRead = false
    /// A request came before: waiting for another is idleness, not a slow request.
    private var servedOne = false

    init(readTimeout: TimeAmount, idleTimeout: TimeAmount, now: NIODeadline) {
        self.readTimeout = readTimeout
        self.idleTimeout = idleTimeout
        deadline = now + readTimeout
    }

    /// Bytes arrived from the client.
    mutating func bytes(now: NIODeadline) {
        guard !reading else { return }
        reading = true
        if unanswered == 0 { deadline = now + readTimeout }
    }

    /// A request's head was decoded.
    mutating func head() {
        unanswered += 1
        reading = true
        headRead = true
    }

    /// A request's end was decoded: the server owes its answer, or waits for the next request when it answered already.
    mutating func end(now: NIODeadline) {
        reading = false
        headRead = false
        servedOne = true
        deadline = unanswered == 0 ? now + idleTimeout : nil
    }

    /// The end of an answer was written.
    mutating func answered(now: NIODeadline) {
        unanswered = max(0, unanswered - 1)
        guard unanswered == 0 else { return }
        if !reading {
            deadline = now + idleTimeout
        } else if deadline == nil {
            // A request pipelined behind the answers: its clock starts now.
            deadline = now + readTimeout
        }
    }

    /// The timer fired at `now`.
    mutating func expired(now: NIODeadline) -> Expiry {
        guard let deadline, now >= deadline else { return .wait }
        self.deadline = nil
        if !reading { return .close(read: !servedOne) }
        if !headRead { return unanswered == 0 ? .answerTimeout : .close(read: true) }
        return unanswered > 0 ? .failBody : .close(read: true)
    }
}
