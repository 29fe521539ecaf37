/// Decides, request by request on one connection, whether the fast path answers or the router does.
///
/// Answers must leave in the order the requests came (HTTP/1.1 pipelining), and the router answers later, from
/// another thread: so the fast path answers only while no earlier request of the connection is still with the router.
/// A value type fed the connection's events, tested without I/O.
struct FastPathGate {
    enum Decision: Equatable {
        /// The fast path answers: the request's parts stay with it.
        case answer
        /// The request's parts go on to the router.
        case forward
    }

    /// Requests passed to the router whose answer has not been written to its end.
    private(set) var withRouter = 0
    /// Where the parts of the request being read go; nil between requests.
    private var current: Decision?

    /// A request head arrived; `servable` says whether the fast path can answer it alone.
    mutating func head(servable: Bool) -> Decision {
        let decision: Decision = servable && withRouter == 0 ? .answer : .forward
        if decision == .forward { withRouter += 1 }
        current = decision
        return decision
    }

    /// Where a body part goes. Parts without a head (the head failed to convert and was reported as an error) go on,
    /// as the router's pipeline reports such errors.
    func body() -> Decision { current ?? .forward }

    /// Where the request's end goes; the next part starts a new request.
    mutating func end() -> Decision {
        defer { current = nil }
        return current ?? .forward
    }

    /// The router wrote the end of an answer.
    mutating func routerAnswered() {
        withRouter = max(0, withRouter - 1)
    }
}
