/// An `application/x-www-form-urlencoded` body, as OAuth's token requests send it (RFC 6749 §4.4.2, Appendix B), read
/// strictly and within bounds: a parameter given twice, a broken `%` escape or bytes that are not UTF-8 are refused
/// rather than guessed at, and no input traps.
public struct FormBody: Sendable, Equatable {
    /// A token request is a few hundred bytes; anything much longer is not one.
    public static let maximumBytes = 8192
    public static let maximumParameters = 32

    /// Each parameter's decoded value by its decoded name, empty values included.
    public let parameters: [String: String]

    /// - Throws: `FormBodyError` for a body over `maximumBytes` or `maximumParameters`, a name given more than once
    ///   (RFC 6749 §3.2), an empty name, a `%` not followed by two hex digits, or a name or value that is not UTF-8.
    public init(parsing bytes: [UInt8]) throws(FormBodyError) {
        guard bytes.count <= Self.maximumBytes else { throw .init("the body is over \(Self.maximumBytes) bytes") }
        var parameters: [String: String] = [:]
        // Empty pieces (`a=1&&b=2`, a trailing `&`) are skipped, as WHATWG's parser does.
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard parameters.count < Self.maximumParameters else { throw .init("more than \(Self.maximumParameters) parameters") }
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            guard let name = Self.decode(piece[piece.startIndex..<(equals ?? piece.endIndex)]), !name.isEmpty else {
                throw .init("a parameter name is empty, not UTF-8 or has a broken % escape")
            }
            guard let value = Self.decode(equals.map { piece[piece.index(after: $0)...] } ?? []) else {
                throw .init("the value of \(FormBodyError.printable(name)) is not UTF-8 or has a broken % escape")
            }
            guard parameters.updateValue(value, forKey: name) == nil else {
                throw .init("\(FormBodyError.printable(name)) is given more than once")
            }
        }
        self.parameters = parameters
    }

    /// A parameter's value; nil when it is absent or empty: RFC 6749 §3.1 treats a parameter without a value as
    /// omitted.
    public subscript(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// One form-urlencoded component: `+` is a space, `%XX` a byte, and the bytes must be UTF-8; nil otherwise.
    public static func decode(_ encoded: ArraySlice<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "%") {
                guard encoded.endIndex - index >= 3, let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2]) else {
                    return nil
                }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a form body (or the credentials of a Basic field) was refused. The message names a parameter only in letters,
/// digits, `_`, `-` and `.`: it goes into an answer, and OAuth's `error_description` allows printable ASCII only.
public struct FormBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }

    /// `name` when it is short and plain, else a stand-in: a hostile name is never echoed.
    static func printable(_ name: String) -> String {
        let plain =
            name.utf8.count <= 40
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0))
            }
        return plain ? name : "a parameter"
    }
}
