/// Where and how batches wait on disk while Redis is unreachable or too slow.
public struct OutboxSettings: Sendable, Equatable {
    /// What to give up when the outbox is full.
    public enum OverflowPolicy: String, Sendable, CaseIterable {
        /// Delete the oldest records to make room: recent data matters more on a dashboard.
        case dropOldest = "drop_oldest"
        /// Refuse the new record and keep what is already waiting.
        case dropNewest = "drop_newest"
    }

    /// When appended records are forced to the disk.
    public enum FsyncPolicy: Sendable, Equatable {
        /// After every append and every acknowledgement: nothing is lost on power failure, at a cost per write.
        case always
        /// The caller calls `sync()` on this period; a power failure loses at most that much.
        case interval(Duration)
        /// Left to the kernel; a crash of the daemon alone loses nothing, a power failure may.
        case never

        /// `always`, `never` or an interval longer than zero (`1s`); nil for anything else.
        public static func parse(_ text: String) -> FsyncPolicy? {
            switch text {
            case "always": return .always
            case "never": return .never
            default: return DurationParser.parse(text).flatMap { $0 > .zero ? .interval($0) : nil }
            }
        }
    }

    /// The folder of segment files, usually under the daemon's `state_dir`.
    public var directory: String
    /// Unacknowledged bytes on disk (headers included) that the outbox may hold.
    public var maxBytes: Int
    /// A new segment file is started once the current one would pass this size.
    public var segmentBytes: Int
    public var overflow: OverflowPolicy
    public var fsync: FsyncPolicy

    public init(
        directory: String,
        maxBytes: Int = 256 * 1_024 * 1_024,
        segmentBytes: Int = 4 * 1_024 * 1_024,
        overflow: OverflowPolicy = .dropOldest,
        fsync: FsyncPolicy = .interval(.seconds(1))
    ) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.segmentBytes = segmentBytes
        self.overflow = overflow
        self.fsync = fsync
    }
}
