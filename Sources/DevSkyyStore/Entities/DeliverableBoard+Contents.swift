import DevSkyyCore

extension DeliverableBoard {
    /// The progress the board held at one version: what one set of partnership answers is made from.
    public struct Contents: Sendable {
        /// Every deliverable at its defaults: for a server without a deliverable store.
        public static let defaults = Contents(entries: [:], stamp: nil)

        private let entries: [DeliverableBoardState.Key: DeliverableProgress]
        /// Which board and version this is; nil for `defaults`. Answers made from equal stamps are equal.
        public let stamp: Stamp?

        init(entries: [DeliverableBoardState.Key: DeliverableProgress], stamp: Stamp?) {
            self.entries = entries
            self.stamp = stamp
        }

        /// The partnership's declared deliverables in configuration order, each with its progress or the defaults.
        public func progress(of partnership: Partnership) -> [DeliverableProgress] {
            partnership.deliverables.map {
                entries[.init(partnership: partnership.id, id: $0.id)] ?? DeliverableProgress(partnership: partnership.id, id: $0.id)
            }
        }
    }

    /// A board and one of its versions.
    public struct Stamp: Sendable, Hashable {
        /// Tells boards apart: versions of different boards do not compare.
        public let board: UInt32
        public let version: Int

        /// True when `other` is this board at an earlier version: answers made from it are out of date.
        public func supersedes(_ other: Stamp) -> Bool {
            board == other.board && version > other.version
        }
    }
}
