import DevSkyyCore

/// The extractor for a collector's `format`.
enum DocumentExtractor: Sendable {
    case json(JSONExtractor)
    case prometheus(PrometheusTextExtractor)

    init(_ config: CollectorConfig) {
        switch config.format {
        case .json: self = .json(JSONExtractor(partnership: config.partnership, metrics: config.metrics, labels: config.labels))
        case .prometheus:
            self = .prometheus(PrometheusTextExtractor(partnership: config.partnership, allowlist: config.allowlist, labels: config.labels))
        }
    }

    func extract(_ body: [UInt8], timestamp: Int64) throws(CollectError) -> ExtractionResult {
        do {
            switch self {
            case .json(let extractor): return try extractor.extract(body, timestamp: timestamp)
            case .prometheus(let extractor): return try extractor.extract(body, timestamp: timestamp)
            }
        } catch {
            throw CollectError(reason: "parse", message: error.message)
        }
    }
}
