/// Where metric alerts are sent, and how often. Built only by `ConfigDecoder`.
public struct AlertSettings: Sendable, Equatable {
    /// A metric must stay warning or critical this long before anything is sent: short flaps stay quiet.
    public var delay: Duration = .zero
    /// The webhook is sent again this often while an alert keeps firing.
    public var repeatInterval: Duration = .seconds(4 * 3_600)
    /// Firing alerts are re-posted to Alertmanager this often, and expire after four of these if the daemon goes away.
    public var resendInterval: Duration = .seconds(60)
    public var webhook: Webhook?
    public var alertmanager: Alertmanager?

    public init() {}

    /// Whether any notifier is configured.
    public var isEnabled: Bool { webhook != nil || alertmanager != nil }

    /// A JSON POST to any HTTP endpoint.
    public struct Webhook: Sendable, Equatable, CustomStringConvertible {
        public var url: String
        /// Sent with every POST; values may hold `${ENV}` secrets, already expanded.
        public var headers: [String: String]
        public var timeout: Duration
        /// Attempts after the first one, on transport errors and 5xx answers.
        public var retries: Int

        public init(url: String, headers: [String: String] = [:], timeout: Duration = .seconds(5), retries: Int = 3) {
            self.url = url
            self.headers = headers
            self.timeout = timeout
            self.retries = retries
        }

        /// Header values and the URL's path and query can hold secrets: only the host and header names are shown.
        public var description: String {
            "webhook \(URLRedaction.origin(url)) (headers: \(headers.keys.sorted().joined(separator: ", ")))"
        }
    }

    /// Prometheus Alertmanager, through its API v2.
    public struct Alertmanager: Sendable, Equatable {
        /// The base URL, such as `http://127.0.0.1:9093`; alerts go to `{url}/api/v2/alerts`.
        public var url: String
        public var timeout: Duration

        public init(url: String, timeout: Duration = .seconds(5)) {
            self.url = url
            self.timeout = timeout
        }

        public var alertsURL: String { (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v2/alerts" }
    }
}
