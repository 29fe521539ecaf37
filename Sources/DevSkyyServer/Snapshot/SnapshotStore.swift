import DevSkyyCore
import NIOCore
import Synchronization

/// The current snapshot and its response bodies.
///
/// Each body is encoded at most once per snapshot, on the first request that wants it: a daemon
/// nobody asks spends nothing on encoding, and a busy one encodes once and serves copies.
public final class SnapshotStore: Sendable {
    private let current: Mutex<EncodedSnapshot>
    /// Sequences start again at every start: this process's mark keeps ETags from repeating across restarts.
    private let instance: String

    public init(_ snapshot: Snapshot) {
        instance = String(UInt32.random(in: .min ... .max), radix: 16)
        current = Mutex(EncodedSnapshot(snapshot, instance: instance))
    }

    /// Installs a snapshot, unless a newer one was installed meanwhile.
    public func publish(_ snapshot: Snapshot) {
        let encoded = EncodedSnapshot(snapshot, instance: instance)
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
    private let partnershipsBody = LazyBody()
    private let metricsBodies: [Partnership.Kind: LazyBody]
    /// The strong ETags of the JSON bodies: this snapshot's sequence and the body's kind.
    public let etags: SnapshotETags

    init(_ snapshot: Snapshot, instance: String) {
        self.snapshot = snapshot
        metricsBodies = Dictionary(uniqueKeysWithValues: Partnership.Kind.allCases.map { ($0, LazyBody()) })
        etags = SnapshotETags(instance: instance, sequence: snapshot.sequence)
    }

    public var health: ByteBuffer { healthBody.get { ByteBuffer(bytes: SnapshotJSON.health(snapshot)) } }
    public var metrics: ByteBuffer { metricsBody.get { ByteBuffer(bytes: SnapshotJSON.metrics(snapshot)) } }
    public var collectors: ByteBuffer { collectorsBody.get { ByteBuffer(bytes: SnapshotJSON.collectors(snapshot)) } }
    /// `GET /api/v1/orchestration/partnerships` with every deliverable at 0 (no progress source).
    public var partnerships: ByteBuffer {
        partnershipsBody.get { ByteBuffer(bytes: SnapshotJSON.partnerships(snapshot)) }
    }
    public func metrics(of kind: Partnership.Kind) -> ByteBuffer {
        metricsBodies[kind]!.get { ByteBuffer(bytes: SnapshotJSON.metrics(snapshot, kind: kind)) }
    }
    public var exposition: ByteBuffer { expositionBody.get { ByteBuffer(string: PrometheusExposition.render(snapshot)) } }
}

/// The ETags of one snapshot's bodies, made with the snapshot rather than per request.
public struct SnapshotETags: Sendable {
    public let health: String
    public let metrics: String
    public let partnerships: String
    private let metricsByKind: [Partnership.Kind: String]

    init(instance: String, sequence: Int) {
        func tag(_ kind: String) -> String { "\"\(instance)-\(sequence)-\(kind)\"" }
        health = tag("health")
        metrics = tag("metrics")
        partnerships = tag("partnerships")
        metricsByKind = Dictionary(uniqueKeysWithValues: Partnership.Kind.allCases.map { ($0, tag("metrics-\($0.rawValue)")) })
    }

    public func metrics(of kind: Partnership.Kind) -> String { metricsByKind[kind]! }
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
