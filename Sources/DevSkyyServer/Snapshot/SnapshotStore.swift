import DevSkyyCore
import DevSkyyStore
import NIOConcurrencyHelpers
import NIOCore

/// The current snapshot and its response bodies.
///
/// Each body is encoded at most once per snapshot, on the first request that wants it: a daemon
/// nobody asks spends nothing on encoding, and a busy one encodes once and serves copies.
public final class SnapshotStore: Sendable {
    private let current: NIOLockedValueBox<EncodedSnapshot>
    /// Sequences start again at every start: this process's mark keeps ETags from repeating across restarts.
    private let instance: String
    /// The listeners' own counters, which `/metrics` renders after the snapshot's part.
    public let connections = ConnectionStats()
    /// The access layer's decisions, rendered likewise (the daemon hands it to its `AccessControl`).
    public let access = AccessStats()

    public init(_ snapshot: Snapshot) {
        instance = String(UInt32.random(in: .min ... .max), radix: 16)
        current = NIOLockedValueBox(EncodedSnapshot(snapshot, instance: instance, live: [connections.exposition, access.exposition]))
    }

    /// Installs a snapshot, unless a newer one was installed meanwhile.
    public func publish(_ snapshot: Snapshot) {
        let encoded = EncodedSnapshot(snapshot, instance: instance, live: liveCounters)
        current.withLockedValue {
            if $0.snapshot.sequence <= snapshot.sequence { $0 = encoded }
        }
    }

    /// The counters `/metrics` renders after the snapshot's part, as they are at each request.
    private var liveCounters: [@Sendable () -> String] { [connections.exposition, access.exposition] }

    public var encoded: EncodedSnapshot { current.withLockedValue { $0 } }
}

/// A snapshot with its JSON and Prometheus bodies, each encoded on first use.
public final class EncodedSnapshot: Sendable {
    public let snapshot: Snapshot
    private let healthBody = Lazy<ByteBuffer>()
    private let metricsBody = Lazy<ByteBuffer>()
    private let collectorsBody = Lazy<ByteBuffer>()
    private let expositionBody = Lazy<ByteBuffer>()
    private let metricsBodies: [Partnership.Kind: Lazy<ByteBuffer>]
    /// The partnership answers at the newest board version asked for so far.
    private let partnershipBodies = NIOLockedValueBox<PartnershipBodies?>(nil)
    /// The strong ETags of the JSON bodies: this snapshot's sequence and the body's kind.
    public let etags: SnapshotETags
    /// The counters rendered as they are at each exposition, after the snapshot's part.
    private let live: [@Sendable () -> String]

    init(_ snapshot: Snapshot, instance: String, live: [@Sendable () -> String]) {
        self.snapshot = snapshot
        self.live = live
        metricsBodies = Dictionary(uniqueKeysWithValues: Partnership.Kind.allCases.map { ($0, Lazy()) })
        etags = SnapshotETags(instance: instance, sequence: snapshot.sequence)
    }

    public var health: ByteBuffer { healthBody.get { ByteBuffer(bytes: SnapshotJSON.health(snapshot)) } }
    public var metrics: ByteBuffer { metricsBody.get { ByteBuffer(bytes: SnapshotJSON.metrics(snapshot)) } }
    public var collectors: ByteBuffer { collectorsBody.get { ByteBuffer(bytes: SnapshotJSON.collectors(snapshot)) } }
    /// The partnership answers with this deliverable progress: the same object for every request until the board
    /// changes.
    public func partnerships(_ progress: DeliverableBoard.Contents) -> PartnershipBodies {
        partnershipBodies.withLockedValue { cached in
            if let cached, cached.stamp == progress.stamp { return cached }
            let made = PartnershipBodies(snapshot, progress: progress)
            // A request that read the board before a change is answered, but its bodies are not kept over newer ones.
            if let old = cached?.stamp, let new = progress.stamp, old.supersedes(new) { return made }
            cached = made
            return made
        }
    }
    /// The partnership answers at the board's current version, loading it from Redis if it must.
    func partnerships(from board: DeliverableBoard) async throws(RedisError) -> PartnershipBodies {
        partnerships(try await board.contents(for: snapshot.partnerships.map(\.partnership)))
    }
    public func metrics(of kind: Partnership.Kind) -> ByteBuffer {
        metricsBodies[kind]!.get { ByteBuffer(bytes: SnapshotJSON.metrics(snapshot, kind: kind)) }
    }
    /// The snapshot's exposition, encoded once; `/metrics` sends `liveExposition` after it.
    public var exposition: ByteBuffer {
        expositionBody.get { ByteBuffer(string: PrometheusExposition.render(snapshot)) }
    }

    /// The listeners' and the access layer's counters as they are now: the end of `/metrics`, rendered per request.
    public var liveExposition: ByteBuffer {
        var body = ByteBuffer()
        for counters in live { body.writeString(counters()) }
        return body
    }
}

/// The ETags of one snapshot's bodies, made with the snapshot rather than per request.
public struct SnapshotETags: Sendable {
    public let health: String
    public let metrics: String
    private let metricsByKind: [Partnership.Kind: String]

    init(instance: String, sequence: Int) {
        func tag(_ kind: String) -> String { "\"\(instance)-\(sequence)-\(kind)\"" }
        health = tag("health")
        metrics = tag("metrics")
        metricsByKind = Dictionary(uniqueKeysWithValues: Partnership.Kind.allCases.map { ($0, tag("metrics-\($0.rawValue)")) })
    }

    public func metrics(of kind: Partnership.Kind) -> String { metricsByKind[kind]! }
}

/// A body computed once, by whichever request comes first; concurrent requests wait for it.
final class Lazy<Value: Sendable>: Sendable {
    private let value = NIOLockedValueBox<Value?>(nil)

    func get(_ make: () -> Value) -> Value {
        value.withLockedValue { cached in
            if let cached { return cached }
            let made = make()
            cached = made
            return made
        }
    }
}
