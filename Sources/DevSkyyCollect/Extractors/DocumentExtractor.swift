import DevSkyyCore

/// The extractor for a collector's `format`.
enum DocumentExtractor: Sendable {
    case json(JSONExtractor)

    init(_ config: CollectorConfig) {
        switch config.format {
        case .json, .prometheus: self = .json(JSONExtractor(partnership: config.partnership, metrics: config.metrics))
        }
    }

    func extract(_ body: [UInt8], timestamp: Int64) throws(CollectError) -> JSONExtractor.Result {
        do {
            switch self {
            case .json(let extractor): return try extractor.extract(body, timestamp: timestamp)
            }
        } catch {
            throw CollectError(reason: "parse", message: error.message)
        }
    }
}
