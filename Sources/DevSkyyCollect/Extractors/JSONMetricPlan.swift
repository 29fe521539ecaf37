import DevSkyyCore

/// One metric of a JSON collector with its paths parsed: what `JSONExtractor` runs per document.
struct JSONMetricPlan: Sendable {
    let name: String
    let scale: Double
    let path: JSONPath
    /// Key label names with the position, among the path's `*` and filters, of the `*` naming each.
    let keyLabels: [(name: String, slot: Int)]
    /// Labels read from fields, sorted by name.
    let fieldLabels: [(name: String, path: JSONPath)]
    /// Why the metric cannot be read (a path that does not parse); reported with every document.
    let broken: String?

    init(_ spec: MetricSpec) {
        name = spec.name
        scale = spec.scale
        var broken: String?
        switch JSONPath.parse(spec.path) {
        case .success(let parsed): path = parsed
        case .failure(let error):
            path = JSONPath(segments: [], text: spec.path)
            broken = "\(spec.name): bad path: \(error.reason)"
        }
        let slots = path.segments.filter(\.fansOut).enumerated().filter { $0.element == .wildcard }.map(\.offset)
        keyLabels = zip(spec.keyLabels, slots).map { ($0, $1) }
        var fieldLabels: [(name: String, path: JSONPath)] = []
        for (label, text) in spec.labelPaths.sorted(by: { $0.key < $1.key }) {
            switch JSONPath.parse(text) {
            case .success(let parsed) where parsed.fansOut:
                broken = broken ?? "\(spec.name): label path '\(text)' of '\(label)' may match several values ('*' or a filter)"
            case .success(let parsed): fieldLabels.append((label, parsed))
            case .failure(let error): broken = broken ?? "\(spec.name): bad label path of '\(label)': \(error.reason)"
            }
        }
        self.fieldLabels = fieldLabels
        self.broken = broken
    }

    func extract(
        from document: JSONValue, partnership: String, fixedLabels: [Sample.Label], timestamp: Int64, into result: inout ExtractionResult
    ) {
        if let broken {
            result.problems.append(broken)
            return
        }
        var matches: [JSONMatch] = []
        JSONWalk.walk(document, path.segments[...], anchor: document, trail: [], into: &matches)
        if matches.isEmpty {
            result.problems.append("\(name): path \(path) matched nothing")
        }
        for match in matches {
            guard let number = JSONWalk.number(match.value) else {
                result.problems.append("\(name): value at \(JSONWalk.location(path, match.trail)) is not a number")
                continue
            }
            guard let labels = labels(of: match, problems: &result.problems) else { continue }
            result.samples.append(
                Sample(
                    partnership: partnership, metric: name, labels: Sample.Label.adding(fixedLabels, to: labels), timestamp: timestamp,
                    value: number * scale
                )
            )
        }
    }

    /// The key labels then the field labels; nil (and a problem) when a field label is missing.
    private func labels(of match: JSONMatch, problems: inout [String]) -> [Sample.Label]? {
        var labels: [Sample.Label] = []
        labels.reserveCapacity(keyLabels.count + fieldLabels.count)
        for label in keyLabels { labels.append(Sample.Label(label.name, match.trail[label.slot])) }
        for label in fieldLabels {
            guard let text = JSONWalk.resolve(match.anchor, label.path.segments).flatMap(JSONWalk.labelText) else {
                problems.append(
                    "\(name): label '\(label.name)' (path \(label.path)) is missing or not a string, number or boolean"
                        + " for the value at \(JSONWalk.location(path, match.trail)); sample left out"
                )
                return nil
            }
            labels.append(Sample.Label(label.name, text))
        }
        return labels
    }
}
