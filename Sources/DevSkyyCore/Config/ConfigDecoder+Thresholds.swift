extension ConfigDecoder {
    static let thresholdKeys = ["partnership", "metric", "warning", "critical", "for", "hits", "keep_firing_for", "missing", "weight"]

    /// The `thresholds` list: one rule per metric of a partnership.
    /// - Parameter incomplete: `partnership/metric` names of collectors with errors of their own
    ///   (`ConfigDecoder.metricsNamed(by:)`): a metric only such a collector defines is not reported again.
    func decodeThresholds(
        _ top: ConfigMapping, partnerships: [Partnership], collectors: [CollectorConfig], incomplete: Set<String> = []
    ) -> [ThresholdRule] {
        var result: [ThresholdRule] = []
        var lines: [MetricKey: Int] = [:]
        for (i, node) in top.list("thresholds").enumerated() {
            guard let map = ConfigMapping(node, path: "thresholds[\(i)]", log: top.log) else { continue }
            map.allowOnly(Self.thresholdKeys)
            let partnership = map.required("partnership")
            if let partnership, !partnerships.contains(where: { $0.id == partnership }) {
                map.log.add(map.line(of: "partnership"), "\(map.path).partnership: unknown partnership '\(partnership)'")
            }
            let metric = map.required("metric")
            if let partnership, let metric, incomplete.isDisjoint(with: ["\(partnership)/\(metric)", "\(partnership)/*"]),
                !collectors.contains(where: { $0.partnership == partnership && $0.mayProduce(metric: metric) })
            {
                map.log.add(
                    map.line(of: "metric"),
                    "\(map.path).metric: unknown metric '\(metric)' (no collector of '\(partnership)' defines it)"
                )
            }
            let warning = bounds(map, "warning")
            let critical = bounds(map, "critical")
            if map["warning"] == nil && map["critical"] == nil {
                map.log.add(map.node.line, "\(map.path): give a warning or a critical bound")
            }
            if let warning, let critical { checkSeverity(map, warning: warning, critical: critical) }
            var rule = ThresholdRule(
                partnership: partnership ?? "", metric: metric ?? "", warning: warning, critical: critical,
                forDuration: map.duration("for") ?? .zero
            )
            rule.hits = count(map, "hits") ?? rule.hits
            rule.keepFiringFor = map.duration("keep_firing_for") ?? rule.keepFiringFor
            if let weight = map.number("weight") {
                if weight > 0 {
                    rule.weight = weight
                } else {
                    map.log.add(map.line(of: "weight"), "\(map.child("weight")): must be above zero")
                }
            }
            let missing = decodeMissing(map)
            rule.missingState = missing.state
            rule.missingAfter = Self.sampleInterval(of: rule.metric, partnership: rule.partnership, collectors: collectors) * missing.after
            guard let partnership, let metric else { continue }
            let key = MetricKey(partnership: partnership, metric: metric)
            if let first = lines[key] {
                map.log.add(map.line(of: "metric"), "\(map.path): \(key) already has a rule (line \(first))")
                continue
            }
            lines[key] = map.line(of: "metric")
            result.append(rule)
        }
        return result
    }

    /// `{ below: 99.9, clear: 99.95 }`: a bound in one or both directions, and the clear level of a one-sided bound.
    private func bounds(_ parent: ConfigMapping, _ key: String) -> ThresholdRule.Bounds? {
        guard let map = parent.mapping(key) else { return nil }
        map.allowOnly(["above", "below", "clear"])
        let result = ThresholdRule.Bounds(above: map.number("above"), below: map.number("below"), clear: map.number("clear"))
        let given = (above: map["above"] != nil, below: map["below"] != nil)
        if !given.above && !given.below {
            map.log.add(map.node.line, "\(map.path): give 'above' or 'below'")
        }
        guard map["clear"] != nil else { return result }
        let line = map.line(of: "clear")
        if given.above == given.below {
            map.log.add(line, "\(map.child("clear")): needs exactly one of 'above' and 'below' in \(map.path)")
        } else if let clear = result.clear, let below = result.below, clear < below {
            map.log.add(
                line,
                "\(map.child("clear")): \(clear.compactText) must be at or above 'below' (\(below.compactText)): it is where recovery ends")
        } else if let clear = result.clear, let above = result.above, clear > above {
            map.log.add(
                line,
                "\(map.child("clear")): \(clear.compactText) must be at or below 'above' (\(above.compactText)): it is where recovery ends")
        }
        return result
    }

    /// A critical bound in the same direction as the warning one must lie at or beyond it.
    private func checkSeverity(_ map: ConfigMapping, warning: ThresholdRule.Bounds, critical: ThresholdRule.Bounds) {
        let line = { (key: String) in map.mapping("critical")?.line(of: key) ?? map.line(of: "critical") }
        if let w = warning.below, let c = critical.below, c > w {
            map.log.add(
                line("below"),
                "\(map.path).critical.below: \(c.compactText) is less severe than warning's \(w.compactText) (critical must be at or below it)"
            )
        }
        if let w = warning.above, let c = critical.above, c < w {
            map.log.add(
                line("above"),
                "\(map.path).critical.above: \(c.compactText) is less severe than warning's \(w.compactText) (critical must be at or above it)"
            )
        }
    }

    /// `missing: { after: 3, state: unknown }`: intervals without a sample, and the state they lead to.
    private func decodeMissing(_ parent: ConfigMapping) -> (after: Int, state: MetricState) {
        var result = (after: 3, state: MetricState.unknown)
        guard let map = parent.mapping("missing") else { return result }
        map.allowOnly(["after", "state"])
        result.after = count(map, "after") ?? result.after
        if let text = map.string("state") {
            if let state = MetricState(rawValue: text), state == .unknown || state == .critical {
                result.state = state
            } else {
                map.log.add(map.line(of: "state"), "\(map.child("state")): expected unknown or critical, found '\(text)'")
            }
        }
        return result
    }

    /// The interval `missing.after` counts: the slowest of the partnership's collectors that list the
    /// metric, else of all its collectors (a prometheus source lists none).
    static func sampleInterval(of metric: String, partnership: String, collectors: [CollectorConfig]) -> Duration {
        let own = collectors.filter { $0.partnership == partnership }
        let listing = own.filter { $0.metrics.contains { $0.name == metric } }
        return (listing.isEmpty ? own : listing).map(\.interval).max() ?? .seconds(30)
    }
}
