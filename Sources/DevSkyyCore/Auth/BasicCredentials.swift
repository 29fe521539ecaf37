import Foundation

/// An OAuth client's id and secret from an `Authorization: Basic` field (RFC 7617), each form-urlencoded before they
/// were joined by a colon and base64-encoded, as RFC 6749 §2.3.1 has clients send them.
public struct BasicCredentials: Sendable, Equatable {
    /// The longest field read: a client id and a 72-byte secret, percent-encoded and base64'd, fit in well under this.
    public static let maximumFieldBytes = 4096

    public let clientID: String
    public let secret: String

    public init(clientID: String, secret: String) {
        self.clientID = clientID
        self.secret = secret
    }

    /// The credentials of an `Authorization` field; nil when its scheme is not `Basic` (any case, RFC 7235).
    /// - Throws: `FormBodyError` for a Basic field that is too long, not base64, has no colon, an empty id, or a part
    ///   that is not form-urlencoded UTF-8.
    public static func parse(authorization field: String) throws(FormBodyError) -> BasicCredentials? {
        let parts = field.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let scheme = parts.first, scheme.lowercased() == "basic" else { return nil }
        guard field.utf8.count <= maximumFieldBytes else { throw .init("the Basic credentials are over \(maximumFieldBytes) bytes") }
        let encoded = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard let data = Data(base64Encoded: encoded) else { throw .init("the Basic credentials are not base64") }
        let bytes = [UInt8](data)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { throw .init("the Basic credentials have no colon") }
        guard let clientID = FormBody.decode(bytes[..<colon]), !clientID.isEmpty,
            let secret = FormBody.decode(bytes[(colon + 1)...])
        else {
            throw .init("the Basic credentials' client id is empty, or a part is not form-urlencoded UTF-8")
        }
        return BasicCredentials(clientID: clientID, secret: secret)
    }
}
