import DevSkyyCore
import DevSkyyStore
import Foundation

/// The partnership object, built in one place so that every route showing a partnership gives the same fields: seed
/// 001's partnership with the type and score seed 000 adds, and its deliverables as seed 001 lists them.
enum PartnershipJSON {
    /// `/orchestration/partnerships` and `/partnerships` list these; progress is the mean of the deliverables'.
    static func summary(_ view: Snapshot.PartnershipView, _ progress: [DeliverableProgress]) -> [String: Any] {
        // The newest of the last sample and the last deliverable update: either changes what the object shows.
        let newest = ([view.lastUpdated] + progress.map(\.updated)).compactMap { $0 }.max()
        return [
            "id": view.partnership.id,
            "name": view.partnership.name,
            "type": view.partnership.kind.rawValue,
            "health": view.health.label.rawValue,
            "score": view.health.score,
            "progress": mean(progress) ?? NSNull(),
            "deliverables": deliverables(view.partnership, progress),
            "last_updated": newest.map(SnapshotJSON.iso8601) ?? NSNull(),
        ]
    }

    /// One partnership's summary with why it has its label and its key metric, as the orchestration health shows them.
    static func status(_ view: Snapshot.PartnershipView, _ progress: [DeliverableProgress]) -> [String: Any] {
        var object = summary(view, progress)
        object["reasons"] = view.health.reasons.map(SnapshotJSON.reason)
        object["key_metric"] = view.partnership.keyMetric ?? NSNull()
        object[view.partnership.kind.keyField] = view.keyValue ?? NSNull()
        return object
    }

    /// `/partnerships/{id}/deliverables`: the deliverables alone, with the partnership's progress.
    static func deliverableList(_ view: Snapshot.PartnershipView, _ progress: [DeliverableProgress]) -> [String: Any] {
        [
            "partnership_id": view.partnership.id, "progress": mean(progress) ?? NSNull(),
            "deliverables": deliverables(view.partnership, progress),
        ]
    }

    /// The partnership's declared deliverables in configuration order.
    /// - Parameter progress: in the same order, as `DeliverableBoard.Contents.progress(of:)` gives it.
    static func deliverables(_ partnership: Partnership, _ progress: [DeliverableProgress]) -> [[String: Any]] {
        zip(partnership.deliverables, progress).map { deliverable($0, $1) }
    }

    /// `progress` as seed 001 lists deliverables, `completion_percentage` as its update carries it: a client can
    /// read, change and send back the same field.
    static func deliverable(_ declared: Partnership.Deliverable, _ progress: DeliverableProgress) -> [String: Any] {
        [
            "id": declared.id,
            "name": declared.name,
            "progress": progress.completion,
            "completion_percentage": progress.completion,
            "status": progress.status,
            "last_updated": progress.updated.map(SnapshotJSON.iso8601) ?? NSNull(),
        ]
    }

    /// The mean completion, to two decimals; nil for a partnership without deliverables.
    static func mean(_ progress: [DeliverableProgress]) -> Double? {
        guard !progress.isEmpty else { return nil }
        let average = progress.map(\.completion).reduce(0, +) / Double(progress.count)
        return (average * 100).rounded() / 100
    }
}
