import DevSkyyCore
import Foundation

/// Writes JSON from dictionaries, arrays, strings, numbers, booleans and `NSNull`, keys sorted.
///
/// Snapshots are rendered several times a second with thousands of values; Foundation's
/// `JSONSerialization` with sorted keys spends most of that time in locale-aware comparisons.
enum JSONText {
    static func render(_ value: Any) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4_096)
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any, into out: inout [UInt8]) {
        switch value {
        case let text as String:
            string(text, into: &out)
        case let flag as Bool:
            out += flag ? Array("true".utf8) : Array("false".utf8)
        case let number as Int:
            out += Array(String(number).utf8)
        case let number as Int64:
            // Token lifetimes and times are Int64: without this case they were written as null.
            out += Array(String(number).utf8)
        case let number as Double:
            out += number.isFinite ? Array(number.compactText.utf8) : Array("null".utf8)
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(object[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            out += Array("null".utf8)
        }
    }

    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
