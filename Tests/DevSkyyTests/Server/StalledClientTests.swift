import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import DevSkyyServer

/// Clients that open connections and stall, on both listeners: timeouts close them, a cap answers 503 past it, and
/// a normal request still answers.
@Suite struct StalledClientTests {
    typealias Listener = HostileClientTests.Listener

    let store: SnapshotStore
    let logs = LogCapture()

    init() throws {
        store = SnapshotStore(orchestrationSnapshot(try orchestrationConfig()))
    }

    private func serve(limits: ConnectionLimits, _ body: ([Listener]) async throws -> Void) async throws {
        let router = QueryRouter.build(store: store, explain: { _ in nil })
        try await BothTransports.with(router, server: QueryListeners.server(store: store, limits: limits), logger: logs.logger) { served in
            try await body([
                Listener(name: "tcp", port: served.tcp.port, unixPath: nil), Listener(name: "unix", port: nil, unixPath: served.unixPath),
            ])
        }
    }

    /// Opens `count` connections and sends each `text` (half a request, or nothing).
    private func stall(_ count: Int, on listener: Listener, sending text: String) async throws -> [RawSocket] {
        try await RawSocket.offThread {
            try (0..<count).map { _ in
                let socket = try listener.connect(timeout: 10)
                if !text.isEmpty { socket.send(text) }
                return socket
            }
        }
    }

    /// What each socket received until the server closed it: the answers' statuses, or nil if it stayed open. The
    /// server closes them all at about the same time: once one stays open for its whole timeout, the others are given
    /// a moment each.
    private func outcomes(_ sockets: [RawSocket]) async throws -> [[Int]?] {
        try await RawSocket.offThread {
            var waited = false
            return sockets.map { socket in
                if waited { socket.setTimeout(milliseconds: 100) }
                let (raw, closed) = socket.receiveAll()
                waited = waited || !closed
                return closed ? ((try? PlainHTTP.answers(in: raw)) ?? []).map(\.status) : nil
            }
        }
    }

    private static let halfRequest = "GET /api/v1/orchestration/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "

    /// Regression: connections that never finished their request were never closed, so enough of them used up every
    /// descriptor the daemon had.
    @Test func stalledRequestsAreAnswered408AndClosedAfterTheReadTimeout() async throws {
        // 2 s, not less: a half request the loop has not read when its time is up counts as a silent connection (closed
        // without a 408); under AddressSanitizer on a busy machine the loop was once that far behind at 500 ms.
        try await serve(limits: ConnectionLimits(readTimeout: .seconds(2), idleTimeout: .seconds(30))) { listeners in
            for listener in listeners {
                let half = try await stall(20, on: listener, sending: Self.halfRequest)
                let silent = try await stall(20, on: listener, sending: "")
                let halfOutcomes = try await outcomes(half)
                #expect(halfOutcomes.allSatisfy { $0 == [408] }, "\(listener.name): \(halfOutcomes)")
                let silentOutcomes = try await outcomes(silent)
                #expect(silentOutcomes.allSatisfy { $0 == [] }, "\(listener.name): \(silentOutcomes)")
                let metrics = try await listener.get("/metrics")
                let text = String(decoding: metrics.body, as: UTF8.self)
                #expect(text.contains("devskyy_connections_timed_out_total{listener=\"\(listener.name)\",reason=\"read\"} 40"), "\(text)")
            }
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await serve(limits: ConnectionLimits(readTimeout: .seconds(30), idleTimeout: .milliseconds(500))) { listeners in
            for listener in listeners {
                let exchange = try await listener.exchange("GET /api/v1/orchestration/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(exchange.answers.map(\.status) == [200], "\(listener.name)")
                #expect(exchange.closed, "\(listener.name): the idle connection was left open")
            }
        }
        #expect(store.connections.count(.idleTimeout, on: .tcp) == 1)
        #expect(store.connections.count(.idleTimeout, on: .unix) == 1)
    }

    @Test func aThousandStalledConnectionsLeaveNormalRequestsServed() async throws {
        try await serve(limits: ConnectionLimits(readTimeout: .seconds(3), maxConnections: 2_000)) { listeners in
            for listener in listeners {
                let stalled = try await stall(1_000, on: listener, sending: Self.halfRequest)
                for _ in 0..<5 {
                    let answer = try await listener.get("/api/v1/orchestration/health")
                    #expect(answer.status == 200, "\(listener.name)")
                }
                let closed = try await outcomes(stalled)
                #expect(closed.allSatisfy { $0 == [408] }, "\(listener.name): \(closed.filter { $0 != [408] }.prefix(3))")
            }
        }
    }

    @Test func pastTheConnectionCapClientsGet503AndTheCapFreesUp() async throws {
        try await serve(limits: ConnectionLimits(readTimeout: .seconds(1), maxConnections: 10)) { listeners in
            for listener in listeners {
                // Connections are set up on several event loops: which 10 get in is not known, but 10 do.
                let sockets = try await stall(15, on: listener, sending: Self.halfRequest)
                let kind = ConnectionStats.Listener(rawValue: listener.name)!
                #expect(await eventually { store.connections.count(.refused, on: kind) == 5 }, "\(listener.name)")
                // A normal request meanwhile: a clear 503 in the API's shape, at once.
                let normal = try await listener.exchange("GET /api/v1/orchestration/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(normal.first?.status == 503, "\(listener.name)")
                #expect(normal.error?.code == "unavailable", "\(listener.name)")
                #expect(normal.error?.message?.hasPrefix("too many connections") == true, "\(listener.name)")
                #expect(normal.closed, "\(listener.name)")
                // The refused ones got 503 and a close; the admitted ones time out.
                let outcomes = try await outcomes(sockets)
                #expect(outcomes.filter { $0 == [503] }.count == 5, "\(listener.name): \(outcomes)")
                #expect(outcomes.filter { $0 == [408] }.count == 10, "\(listener.name): \(outcomes)")
                // Once the clients close their side too, the listener serves again.
                sockets.forEach { $0.close() }
                #expect(await eventually { (try? await listener.get("/metrics"))?.status == 200 }, "\(listener.name)")
                let metrics = try await listener.get("/metrics")
                let text = String(decoding: metrics.body, as: UTF8.self)
                #expect(text.contains("devskyy_connections_refused_total{listener=\"\(listener.name)\"} 6"), "\(text)")
            }
        }
        #expect(logs.warnings.filter { $0.hasPrefix("refusing connections") }.count == 2, "\(logs.warnings)")
    }
}
