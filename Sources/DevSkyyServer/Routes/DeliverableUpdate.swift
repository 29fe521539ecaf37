import DevSkyyCore
import Foundation

/// The body of `PUT /api/v1/partnerships/{id}/deliverables/{deliverable_id}`: `completion_percentage` (0–100),
/// `status` (text), or both.
///
/// Read strictly, so a typo never passes silently: malformed JSON is 400, and an unknown field, a wrong type or a
/// value out of range is 422 naming the field.
struct DeliverableUpdate: Sendable, Equatable {
    static let maxStatusLength = 200
    static let fields = ["completion_percentage", "status", "last_updated"]

    var completion: Double?
    var status: String?

    static func parse(_ bytes: [UInt8]) throws(APIError) -> DeliverableUpdate {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw .malformedJSON(error)
        }
        guard case .object(let members) = value else {
            throw .invalidField("body", "must be a JSON object, not \(value.kind)")
        }
        if let unknown = members.map(\.key).sorted().first(where: { !fields.contains($0) }) {
            throw .invalidField(unknown, "unknown field (known: \(fields.joined(separator: ", ")))")
        }
        var update = DeliverableUpdate()
        switch value["completion_percentage"] {
        case nil: break
        case .number(let number, _)?:
            guard number.isFinite, (0...100).contains(number) else {
                throw .invalidField("completion_percentage", "must be from 0 to 100, not \(number.compactText)")
            }
            update.completion = number
        case let other?:
            throw .invalidField("completion_percentage", "must be a number from 0 to 100, not \(other.kind)")
        }
        switch value["status"] {
        case nil: break
        case .string(let text)?:
            update.status = try statusText(text)
        case let other?:
            throw .invalidField("status", "must be a string, not \(other.kind)")
        }
        // The seed's example request carries `last_updated`; it is checked but the server's clock stamps the change.
        switch value["last_updated"] {
        case nil: break
        case .string(let text)? where RFC3339.milliseconds(text) != nil: break
        case let other?:
            throw .invalidField("last_updated", "must be an ISO 8601 UTC time such as 2025-10-25T10:30:00Z, not \(other.kind)")
        }
        guard update.completion != nil || update.status != nil else {
            throw .invalidField("body", "give completion_percentage, status or both")
        }
        return update
    }

    private static func statusText(_ text: String) throws(APIError) -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidField("status", "must not be empty") }
        guard text.count <= maxStatusLength else {
            throw .invalidField("status", "must be at most \(maxStatusLength) characters, not \(text.count)")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField("status", "must not hold control characters (newlines, tabs)")
        }
        return text
    }
}
