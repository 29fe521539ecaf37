import DevSkyyCore

extension DeliverableStore.Change {
    /// The event recording this change, or nil when neither the completion nor the status changed.
    ///
    /// `from` / `to` are the completion percentages; the reason gives both fields, e.g.
    /// `completion 40 → 60, status in_progress` or `completion 60, status in_progress → blocked`.
    public var event: HealthEvent? {
        guard old.completion != new.completion || old.status != new.status else { return nil }
        let completion =
            old.completion == new.completion
            ? "completion \(new.completion.compactText)" : "completion \(old.completion.compactText) → \(new.completion.compactText)"
        let status = old.status == new.status ? "status \(new.status)" : "status \(old.status) → \(new.status)"
        return HealthEvent(
            time: new.updated ?? Timestamp.now(), kind: .deliverable, entity: "\(new.partnership)/\(new.id)",
            partnership: new.partnership, from: old.completion.compactText, to: new.completion.compactText, value: new.completion,
            reason: "\(completion), \(status)"
        )
    }
}
