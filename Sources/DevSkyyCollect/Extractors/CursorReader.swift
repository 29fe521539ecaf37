import DevSkyyCore
import Foundation

/// Reads a pagination cursor (a string or number) out of a JSON page.
enum CursorReader {
    static func value(at path: String, in body: [UInt8]) -> String? {
        guard let parsed = try? JSONPath.parse(path).get(),
            var node = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        else { return nil }
        for segment in parsed.segments {
            switch segment {
            case .key(let key):
                guard let child = (node as? [String: Any])?[key] else { return nil }
                node = child
            case .index(let index):
                guard let array = node as? [Any], array.indices.contains(index) else { return nil }
                node = array[index]
            default:
                return nil
            }
        }
        if let text = node as? String { return text }
        if let number = node as? NSNumber, String(cString: number.objCType) != "c" { return number.stringValue }
        return nil
    }
}
