import DevSkyyCore
import NIOCore
import Synchronization

/// The current snapshot and its response bodies.
///
/// Each body is encoded at most once per snapshot, on the first request that wants it: a daemon
/// nobody asks spends nothing on encoding, and a busy one encodes once and serves copies.
public final class SnapshotStore: Sendable {
    private let current: Mutex<EncodedSnapshot>

    public init(_ snapshot: Snapshot) {
        current = Mutex(EncodedSnapshot(snapshot))
    }

    /// Installs a snapshot, unless a newer one was installed meanwhile.
    public func publish(_ snapshot: Snapshot) {
        let encoded = EncodedSnapshot(snapshot)
        current.withLock {
            if $0.snapshot.sequence <= snapshot.sequence { $0 = encoded }
        }
    }

    public var encoded: EncodedSnapshot { current.withLock { $0 } }
}

/// A snapshot with its JSON and Prometheus bodies, each encoded on first use.
public final class EncodedSnapshot: Sendable {
    public let snapshot: Snapshot
    private let healthBody = LazyBody()
    private let metricsBody = LazyBody()
    private let collectorsBody = LazyBody()
    private let expositionBody = LazyBody()

    init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    public var health: ByteBuffer { healthBody.get { ByteBuffer(bytes: SnapshotJSON.health(snapshot)) } }
    public var metrics: ByteBuffer { metricsBody.get { ByteBuffer(bytes: SnapshotJSON.metrics(snapshot)) } }
    public var collectors: ByteBuffer { collectorsBody.get { ByteBuffer(bytes: SnapshotJSON.collectors(snapshot)) } }
    public var exposition: ByteBuffer { expositionBody.get { ByteBuffer(string: PrometheusExposition.render(snapshot)) } }
}

/// A body computed once, by whichever request comes first; concurrent requests wait for it.
final class LazyBody: Sendable {
    private let value = Mutex<ByteBuffer?>(nil)

    func get(_ make: () -> ByteBuffer) -> ByteBuffer {
        value.withLock { cached in
            if let cached { return cached }
            let made = make()
            cached = made
            return made
        }
    }
}
