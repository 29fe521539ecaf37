import DevSkyyCore

/// Fetches a JSON document over `http`, `https` or `file` and extracts the configured metrics.
public struct HTTPJSONCollector: Collector {
    private let config: CollectorConfig
    private let engine: CurlEngine
    private let extractor: JSONExtractor

    public init(config: CollectorConfig, engine: CurlEngine) {
        self.config = config
        self.engine = engine
        self.extractor = JSONExtractor(partnership: config.partnership, metrics: config.metrics)
    }

    public var name: String { config.name }
    public var partnership: String { config.partnership }
    public var interval: Duration { config.interval }

    public func collect(timestamp: Int64) async throws(CollectError) -> CollectOutcome {
        let request = FetchRequest(url: config.url, headers: config.headers, timeout: config.timeout)
        let response: FetchResponse
        do {
            response = try await engine.fetch(request)
        } catch {
            throw CollectError(reason: error.kind.rawValue, message: error.message)
        }
        guard response.isSuccess else {
            throw CollectError(reason: "http_\(response.status)", message: "HTTP status \(response.status)")
        }
        do {
            let result = try extractor.extract(response.body, timestamp: timestamp)
            return CollectOutcome(samples: result.samples, problems: result.problems)
        } catch {
            throw CollectError(reason: "parse", message: error.message)
        }
    }
}
