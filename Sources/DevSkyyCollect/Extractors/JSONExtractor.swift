import DevSkyyCore
import Foundation

/// Reads a collector's metrics out of a JSON document. Paths are parsed once, in `init`.
public struct JSONExtractor: Sendable {
    public typealias Result = ExtractionResult

    private let partnership: String
    private let metrics: [JSONMetricPlan]

    public init(partnership: String, metrics: [MetricSpec]) {
        self.partnership = partnership
        self.metrics = metrics.map(JSONMetricPlan.init)
    }

    /// Extracts every metric; a body that is not JSON throws `ExtractionError`.
    public func extract(_ body: [UInt8], timestamp: Int64) throws(ExtractionError) -> Result {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw ExtractionError(message: "the response is not valid JSON (\(body.count) bytes)")
        }
        var result = Result()
        for metric in metrics {
            metric.extract(from: document, partnership: partnership, timestamp: timestamp, into: &result)
        }
        return result
    }
}
