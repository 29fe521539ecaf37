import DevSkyyCore
import Glibc

/// A failure of the disk outbox; the message names the file or folder involved.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable {
        case io
        case recordTooLarge
        case locked
        case foreignRecord
    }

    let code: Code
    public let message: String
    /// The system call's `errno`, for an I/O error that has one.
    let errorNumber: Int32?

    static func io(_ message: String, errno: Int32? = nil) -> OutboxError { .init(code: .io, message: message, errorNumber: errno) }
    static func recordTooLarge(_ message: String) -> OutboxError { .init(code: .recordTooLarge, message: message, errorNumber: nil) }
    static func locked(_ message: String) -> OutboxError { .init(code: .locked, message: message, errorNumber: nil) }
    static func foreignRecord(_ message: String) -> OutboxError { .init(code: .foreignRecord, message: message, errorNumber: nil) }

    /// True when the record can never fit: retrying is pointless, the caller must give it up.
    public var isRecordTooLarge: Bool { code == .recordTooLarge }

    /// What this failure says of the folder: no room, not writable, or failing otherwise.
    public var outboxStatus: OutboxHealth.Status {
        switch errorNumber {
        // EFBIG: past RLIMIT_FSIZE (with SIGXFSZ ignored); EDQUOT: the user's quota.
        case ENOSPC, EDQUOT, EFBIG: .full
        case EROFS, EACCES, EPERM: .readOnly
        default: .failing
        }
    }

    public var description: String { message }
}
