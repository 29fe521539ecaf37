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
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw .malformedJSON()
        }
        guard case .object(let object) = value else {
            throw .invalidField("body", "must be a JSON object, not \(value.kind)")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw .invalidField(unknown, "unknown field (known: \(fields.joined(separator: ", ")))")
        }
        var update = DeliverableUpdate()
        switch object["completion_percentage"] {
        case nil: break
        case .number(let number)?:
            guard number.isFinite, (0...100).contains(number) else {
                throw .invalidField("completion_percentage", "must be from 0 to 100, not \(number.compactText)")
            }
            update.completion = number
        case let other?:
            throw .invalidField("completion_percentage", "must be a number from 0 to 100, not \(other.kind)")
        }
        switch object["status"] {
        case nil: break
        case .string(let text)?:
            update.status = try statusText(text)
        case let other?:
            throw .invalidField("status", "must be a string, not \(other.kind)")
        }
        // The seed's example request carries `last_updated`; it is checked but the server's clock stamps the change.
        switch object["last_updated"] {
        case nil: break
        case .string(let text)? where isISO8601(text): break
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

    private static func isISO8601(_ text: String) -> Bool {
        let formatter = ISO8601DateFormatter()
        if formatter.date(from: text) != nil { return true }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: text) != nil
    }
}

/// Any JSON value, keeping booleans, numbers and strings apart so that a wrong type can be named.
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// What the value is, for error messages: `a string ("60")`, `null`, …
    var kind: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "a boolean (\(flag))"
        case .number(let number): "a number (\(number.compactText))"
        case .string(let text): "a string (\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\")"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
