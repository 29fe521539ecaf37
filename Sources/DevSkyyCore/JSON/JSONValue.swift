/// A parsed JSON document: what the collectors' path language reads, and the API's request bodies.
///
/// Objects keep their members in document order (a key given twice reads as its last value); numbers keep
/// their integer form when they have one, so a label made from an id keeps every digit.
public enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// `integer` when the number was written without fraction or exponent and fits 64 bits.
    case number(Double, integer: Int64?)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.number(let x, let i), .number(let y, let j)): x == y && i == j
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    /// The member's value; the last one when the key is given more than once.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// What the value is, for error messages: `a string ("60")`, `null`, …
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "a boolean (\(flag))"
        case .number(let number, _): "a number (\(number.compactText))"
        case .string(let text): "a string (\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\")"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses a whole document (a bare scalar included); the error says where it went wrong.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONParser(buffer)
            return try parser.document()
        }
    }
}

/// Why a document is not JSON, and at which byte.
public struct JSONParseError: Error, Equatable {
    public let offset: Int
    public let reason: String
}
