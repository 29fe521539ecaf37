import NIOConcurrencyHelpers
import NIOCore

/// What the listeners did to protect themselves, by listener, for `/metrics`: connections refused over the cap,
/// closed by a timeout, and requests that were not HTTP.
///
/// These happen rarely (a counter under a lock is cheap enough) and are rendered live with each exposition, after
/// the snapshot's part.
public final class ConnectionStats: Sendable {
    enum Event: CaseIterable {
        case refused, readTimeout, idleTimeout, malformed
    }

    /// `tcp` or `unix`, from the connection's local address.
    enum Listener: String, CaseIterable {
        case tcp, unix
    }

    private struct Key: Hashable {
        var event: Event
        var listener: Listener
    }

    private let counts = NIOLockedValueBox<[Key: Int]>([:])

    public init() {}

    func count(_ event: Event, on channel: any Channel) {
        let listener: Listener = if case .unixDomainSocket = channel.localAddress { .unix } else { .tcp }
        counts.withLockedValue { $0[Key(event: event, listener: listener), default: 0] += 1 }
    }

    func count(_ event: Event, on listener: Listener) -> Int {
        counts.withLockedValue { $0[Key(event: event, listener: listener)] ?? 0 }
    }

    /// The counters in the Prometheus text format, every listener listed (at 0 when nothing happened).
    public func exposition() -> String {
        let counts = counts.withLockedValue { $0 }
        func lines(_ name: String, _ help: String, _ series: [(labels: String, event: Event, listener: Listener)]) -> String {
            var out = "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
            for (labels, event, listener) in series {
                out += "\(name){\(labels)} \(counts[Key(event: event, listener: listener)] ?? 0)\n"
            }
            return out
        }
        let listeners = Listener.allCases
        return lines(
            "devskyy_connections_refused_total", "Connections answered 503 and closed: the listener had listen.max_connections open.",
            listeners.map { ("listener=\"\($0.rawValue)\"", .refused, $0) })
            + lines(
                "devskyy_connections_timed_out_total",
                "Connections closed for a request not received within listen.read_timeout (read) or no request within listen.idle_timeout (idle).",
                listeners.flatMap { listener in
                    [
                        ("listener=\"\(listener.rawValue)\",reason=\"read\"", .readTimeout, listener),
                        ("listener=\"\(listener.rawValue)\",reason=\"idle\"", .idleTimeout, listener),
                    ]
                })
            + lines(
                "devskyy_requests_malformed_total", "Requests that were not valid HTTP/1.1 or over the header limits, answered 400 or 431.",
                listeners.map { ("listener=\"\($0.rawValue)\"", .malformed, $0) })
    }
}
