import DevSkyyCore
import Foundation

/// Reads a collector's metrics out of a JSON document.
public struct JSONExtractor: Sendable {
    /// What one document yielded: the samples, and the paths that matched nothing usable.
    public struct Result: Sendable {
        public var samples: [Sample]
        public var problems: [String]
    }

    private let partnership: String
    private let metrics: [(spec: MetricSpec, path: JSONPath)]

    public init(partnership: String, metrics: [MetricSpec]) {
        self.partnership = partnership
        // Paths were validated with the configuration; one that fails here matches nothing.
        self.metrics = metrics.compactMap { spec in
            (try? JSONPath.parse(spec.path).get()).map { (spec, $0) }
        }
    }

    /// Extracts every metric; a body that is not JSON throws `ExtractionError`.
    public func extract(_ body: [UInt8], timestamp: Int64) throws(ExtractionError) -> Result {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw ExtractionError(message: "the response is not valid JSON (\(body.count) bytes)")
        }
        var result = Result(samples: [], problems: [])
        for (spec, path) in metrics {
            var matches: [(labels: [String], value: Any)] = []
            Self.walk(document, path.segments[...], labels: [], into: &matches)
            if matches.isEmpty {
                result.problems.append("\(spec.name): path \(path) matched nothing")
            }
            for match in matches {
                guard let number = Self.number(match.value) else {
                    result.problems.append("\(spec.name): value at \(path) is not a number")
                    continue
                }
                let labels = zip(spec.keyLabels, match.labels).map { Sample.Label($0, $1) }
                result.samples.append(
                    Sample(partnership: partnership, metric: spec.name, labels: labels, timestamp: timestamp, value: number * spec.scale)
                )
            }
        }
        return result
    }

    /// Follows the path; each `*` fans out and records the key or index it matched.
    static func walk(
        _ node: Any, _ rest: ArraySlice<JSONPath.Segment>, labels: [String], into matches: inout [(labels: [String], value: Any)]
    ) {
        guard let segment = rest.first else {
            matches.append((labels, node))
            return
        }
        let next = rest.dropFirst()
        switch segment {
        case .key(let key):
            if let object = node as? [String: Any], let child = object[key] { walk(child, next, labels: labels, into: &matches) }
        case .index(let index):
            if let array = node as? [Any], array.indices.contains(index) {
                walk(array[index], next, labels: labels, into: &matches)
            } else if let object = node as? [String: Any], let child = object[String(index)] {
                walk(child, next, labels: labels, into: &matches)
            }
        case .wildcard:
            if let object = node as? [String: Any] {
                for key in object.keys.sorted() { walk(object[key]!, next, labels: labels + [key], into: &matches) }
            } else if let array = node as? [Any] {
                for (index, child) in array.enumerated() { walk(child, next, labels: labels + [String(index)], into: &matches) }
            }
        }
    }

    /// Numbers as they are, booleans as 1 or 0, numeric strings parsed.
    static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber {
            // Foundation bridges JSON true/false to NSNumber too; a boolean's type encoding is "c".
            if String(cString: number.objCType) == "c" { return number.boolValue ? 1 : 0 }
            let double = number.doubleValue
            return double.isFinite ? double : nil
        }
        if let text = value as? String, let double = Double(text.trimmingCharacters(in: .whitespaces)), double.isFinite {
            return double
        }
        return nil
    }
}

/// A source document that could not be read at all.
public struct ExtractionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
