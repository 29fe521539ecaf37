import DevSkyyCore
import DevSkyyStore
import NIOCore

/// The partnership answers of one snapshot at one version of the deliverable board, each encoded on first use
/// with its tag.
///
/// Health comes from the snapshot and progress from the board: a new snapshot or a board change makes a new set
/// (`EncodedSnapshot.partnerships(_:)`), and until then every request is served the same bytes.
public final class PartnershipBodies: Sendable {
    private let snapshot: Snapshot
    private let progress: DeliverableBoard.Contents
    private let orchestrationBody = Lazy<TaggedBody>()
    private let listBody = Lazy<TaggedBody>()
    /// By partnership id.
    private let statusBodies: [String: Lazy<TaggedBody>]
    private let deliverableBodies: [String: Lazy<TaggedBody>]

    init(_ snapshot: Snapshot, progress: DeliverableBoard.Contents) {
        self.snapshot = snapshot
        self.progress = progress
        let ids = snapshot.partnerships.map(\.partnership.id)
        statusBodies = Dictionary(ids.map { ($0, Lazy()) }, uniquingKeysWith: { first, _ in first })
        deliverableBodies = Dictionary(ids.map { ($0, Lazy()) }, uniquingKeysWith: { first, _ in first })
    }

    /// The board version these bodies show.
    var stamp: DeliverableBoard.Stamp? { progress.stamp }

    /// `GET /api/v1/orchestration/partnerships`: seed 000's list, a bare array.
    public var orchestration: TaggedBody {
        orchestrationBody.get { TaggedBody(JSONText.render(summaries), kind: "partnerships") }
    }

    /// `GET /api/v1/partnerships`: seed 001's list, under `partnerships`.
    public var list: TaggedBody {
        listBody.get { TaggedBody(JSONText.render(["partnerships": summaries]), kind: "partnership-list") }
    }

    /// `GET /api/v1/partnerships/{id}/status`.
    /// - Parameter view: one of this snapshot's partnerships.
    public func status(of view: Snapshot.PartnershipView) -> TaggedBody {
        body(of: view, in: statusBodies, kind: "status", PartnershipJSON.status)
    }

    /// `GET /api/v1/partnerships/{id}/deliverables`.
    /// - Parameter view: one of this snapshot's partnerships.
    public func deliverables(of view: Snapshot.PartnershipView) -> TaggedBody {
        body(of: view, in: deliverableBodies, kind: "deliverables", PartnershipJSON.deliverableList)
    }

    private var summaries: [[String: Any]] {
        snapshot.partnerships.map { PartnershipJSON.summary($0, progress.progress(of: $0.partnership)) }
    }

    private func body(
        of view: Snapshot.PartnershipView, in bodies: [String: Lazy<TaggedBody>], kind: String,
        _ render: (Snapshot.PartnershipView, [DeliverableProgress]) -> [String: Any]
    ) -> TaggedBody {
        // Ids are configuration identifiers (letters, digits, `_`, `-`): safe inside a tag.
        func make() -> TaggedBody {
            TaggedBody(JSONText.render(render(view, progress.progress(of: view.partnership))), kind: "\(view.partnership.id)-\(kind)")
        }
        // Routes take the view and the bodies from one `EncodedSnapshot`, so the id is always among these.
        guard let lazy = bodies[view.partnership.id] else { return make() }
        return lazy.get(make)
    }
}
