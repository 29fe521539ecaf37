/// One route's contract as the daemon and its clients both see it: the method, the path (OpenAPI notation, with
/// `{name}` parameters) and the Codable types of its request body and of its answer.
///
/// The daemon declares its `APIRoute` from it (adding the permission, the rate-limit class and the documentation), and
/// a test decodes each such route's live answer as `Answer`; devskyyctl calls the same value and decodes the same type,
/// so a field renamed on one side fails a test instead of showing as "-" in a table.
public struct Endpoint<Body: Encodable & Sendable, Answer: Decodable & Sendable>: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    public let method: Method
    public let path: String

    public init(_ method: Method, _ path: String, body: Body.Type, answer: Answer.Type) {
        self.method = method
        self.path = path
    }

    /// The path with each `{name}` replaced by its value, percent-encoded as one path segment; a parameter without a
    /// value stays as it is.
    public func path(_ values: [String: String]) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { component in
            guard component.hasPrefix("{"), component.hasSuffix("}"), let value = values[String(component.dropFirst().dropLast())]
            else { return String(component) }
            return PercentEncoding.pathSegment(value)
        }.joined(separator: "/")
    }
}

extension Endpoint where Body == NoBody {
    public init(_ method: Method, _ path: String, answer: Answer.Type) {
        self.init(method, path, body: NoBody.self, answer: answer)
    }
}

/// The body of a request that sends none.
public struct NoBody: Codable, Sendable, Equatable {
    public init() {}
}
