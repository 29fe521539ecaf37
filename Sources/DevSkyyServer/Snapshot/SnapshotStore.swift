import DevSkyyCore
import NIOCore
import Synchronization

/// The current snapshot and its response bodies, encoded once when published.
public final class SnapshotStore: Sendable {
    private let current: Mutex<EncodedSnapshot>

    public init(_ snapshot: Snapshot) {
        current = Mutex(EncodedSnapshot(snapshot))
    }

    /// Encodes and installs a snapshot, unless a newer one was installed meanwhile.
    public func publish(_ snapshot: Snapshot) {
        let encoded = EncodedSnapshot(snapshot)
        current.withLock {
            if $0.snapshot.generatedAt <= snapshot.generatedAt { $0 = encoded }
        }
    }

    public var encoded: EncodedSnapshot { current.withLock { $0 } }
}

/// A snapshot with its JSON and Prometheus bodies, ready to send.
public struct EncodedSnapshot: Sendable {
    public let snapshot: Snapshot
    public let health: ByteBuffer
    public let metrics: ByteBuffer
    public let collectors: ByteBuffer
    public let exposition: ByteBuffer

    init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        health = ByteBuffer(bytes: SnapshotJSON.health(snapshot))
        metrics = ByteBuffer(bytes: SnapshotJSON.metrics(snapshot))
        collectors = ByteBuffer(bytes: SnapshotJSON.collectors(snapshot))
        exposition = ByteBuffer(string: PrometheusExposition.render(snapshot))
    }
}
