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

    static func io(_ message: String) -> OutboxError { .init(code: .io, message: message) }
    static func recordTooLarge(_ message: String) -> OutboxError { .init(code: .recordTooLarge, message: message) }
    static func locked(_ message: String) -> OutboxError { .init(code: .locked, message: message) }
    static func foreignRecord(_ message: String) -> OutboxError { .init(code: .foreignRecord, message: message) }

    /// True when the record can never fit: retrying is pointless, the caller must give it up.
    public var isRecordTooLarge: Bool { code == .recordTooLarge }

    public var description: String { message }
}
