import DevSkyyCore
import Foundation

/// Reads a collector's metrics out of a JSON document. Paths are parsed once, in `init`.
public struct JSONExtractor: Sendable {
    public typealias Result = ExtractionResult

    private let partnership: String
    private let metrics: [JSONMetricPlan]
    /// Labels every sample carries (a collector's `labels`, a `for_each` entity's).
    private let fixedLabels: [Sample.Label]

    public init(partnership: String, metrics: [MetricSpec], labels: [String: String] = [:]) {
        self.partnership = partnership
        self.metrics = metrics.map(JSONMetricPlan.init)
        self.fixedLabels = labels.map { Sample.Label($0.key, $0.value) }
    }

    /// Extracts every metric; a body that is not JSON throws `ExtractionError`.
    public func extract(_ body: [UInt8], timestamp: Int64) throws(ExtractionError) -> Result {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw ExtractionError(message: "the response is not valid JSON (\(body.count) bytes): \(error.reason) at byte \(error.offset)")
        }
        var result = Result()
        for metric in metrics {
            metric.extract(from: document, partnership: partnership, fixedLabels: fixedLabels, timestamp: timestamp, into: &result)
        }
        return result
    }
}
