/// A route that answers without credentials on TCP (`auth.anonymous`): `"GET /api/v1/orchestration/health"`, or
/// `"/metrics"` for any method.
public struct AnonymousRoute: Sendable, Hashable, CustomStringConvertible {
    /// Upper case; nil for any method.
    public let method: String?
    /// A literal path, compared byte for byte: no patterns, no query.
    public let path: String

    /// What stays open when the file says nothing: Prometheus scrapes and load balancers' probes keep working.
    public static let defaults = [
        AnonymousRoute(method: nil, path: "/metrics"), AnonymousRoute(method: "GET", path: "/api/v1/orchestration/health"),
    ]

    public init(method: String?, path: String) {
        self.method = method
        self.path = path
    }

    /// Parses `"METHOD /path"` or `"/path"`; the method is upper-cased. Fails with the reason.
    public static func parse(_ text: String) -> Result<AnonymousRoute, Problem> {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2 else {
            return .failure(Problem(reason: "expected \"METHOD /path\" or \"/path\""))
        }
        let path = String(parts[parts.count - 1])
        guard path.hasPrefix("/") else { return .failure(Problem(reason: "the path must start with '/'")) }
        guard path.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "?" && $0 != "#" }) else {
            return .failure(Problem(reason: "the path must be printable ASCII without a query or fragment"))
        }
        guard parts.count == 2 else { return .success(AnonymousRoute(method: nil, path: path)) }
        let method = parts[0].uppercased()
        guard !method.isEmpty, method.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            return .failure(Problem(reason: "the method must be letters only, such as GET"))
        }
        return .success(AnonymousRoute(method: method, path: path))
    }

    /// Whether a request with this method and path (without its query) may go without credentials.
    public func matches(method: String, path: String) -> Bool {
        self.path == path && (self.method == nil || self.method == method)
    }

    public var description: String { method.map { "\($0) \(path)" } ?? path }

    public struct Problem: Error, Sendable, Equatable {
        public let reason: String
    }
}
