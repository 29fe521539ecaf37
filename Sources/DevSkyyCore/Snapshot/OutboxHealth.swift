/// Whether the disk outbox can take batches, as health, status and `/metrics` show it.
public struct OutboxHealth: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// The last write to the outbox's folder worked.
        case ok
        /// No room: the file system is full, the process's file size limit is reached, or the outbox is at its
        /// `max_size` with `overflow: drop_newest`.
        case full
        /// The folder cannot be written: a read-only mount or missing permissions.
        case readOnly = "read_only"
        /// Another I/O error (a failing disk), or records that cannot be read back.
        case failing
    }

    public var status: Status
    /// What failed last, naming the file; nil while `ok`.
    public var error: String?

    public init(status: Status = .ok, error: String? = nil) {
        self.status = status
        self.error = error
    }
}
