import DevSkyyCore
import Foundation

/// The query part of a request URL: `?name=value&…`, values percent-encoded.
enum QueryString {
    /// Pairs with a nil value are left out; "" when none is left.
    static func make(_ pairs: [(String, String?)]) -> String {
        let parts = pairs.compactMap { name, value in
            // Encoded, so `{`, `"`, `=`, `,` and `+` in a selector arrive intact.
            value.map { "\(name)=\(PercentEncoding.queryValue($0))" }
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}

/// The daemon's explanation in an error answer, for the message the user sees.
enum ErrorDetail {
    /// `: message` from the daemon's `{"status":"error","error":{"code","message"}}`, or "" when the body is not
    /// one (a proxy's page, say).
    static func from(_ body: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return "" }
        if let text = (object["error"] as? [String: Any])?["message"] as? String { return ": \(text)" }
        // Daemons older than the one error shape answered the history routes with `{"error":"…"}`.
        if let text = object["error"] as? String { return ": \(text)" }
        return ""
    }
}
