import Foundation

/// The parts of an error answer, `{"status":"error","error":{"code","message","field"?}}`, each nil when missing, so
/// a test names what is wrong rather than failing to decode.
struct ErrorAnswer: Equatable {
    var status: String?
    var code: String?
    var message: String?
    var field: String?

    init(_ json: [String: Any]) {
        let error = json["error"] as? [String: Any]
        status = json["status"] as? String
        code = error?["code"] as? String
        message = error?["message"] as? String
        field = error?["field"] as? String
    }

    init(body: [UInt8]) {
        self.init((try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:])
    }
}
