extension MetricHealth {
    /// Why the metric is not ok, for its partnership's reasons; nil when it is ok.
    public func reason(rule: ThresholdRule, now: Int64) -> HealthReason? {
        guard state != .ok else { return nil }
        let quiet = now - (lastSampleAt ?? since)
        if state == .unknown || quiet >= rule.missingAfter.milliseconds {
            let message: String
            if let lastSampleAt {
                let seconds = max(0, now - lastSampleAt) / 1_000
                message = "\(rule.metric): no sample for \(DurationParser.format(.seconds(seconds)))"
            } else {
                message = "\(rule.metric): no sample yet"
            }
            return HealthReason(metric: rule.metric, state: state, value: nil, message: message, since: since)
        }
        let (message, bound) = transitionReason(to: state, rule: rule)
        return HealthReason(metric: rule.metric, state: state, value: value, message: message, bound: bound, since: since)
    }

    /// Text and bound for a move into `target`, from the last sample.
    func transitionReason(to target: MetricState, rule: ThresholdRule) -> (text: String, bound: Double?) {
        guard let value else { return ("\(rule.metric): no sample yet", nil) }
        switch target {
        case .warning, .critical:
            return Self.describe(target, value: value, rule: rule)
        case .pending:
            // A restored `pending` has no sample level yet: judge the value by the plain bounds.
            let level = lastLevel ?? rule.level(of: value, firing: .ok)
            guard level.rank > 0 else { return ("\(rule.metric) \(value.compactText), pending", nil) }
            let (text, bound) = Self.describe(level, value: value, rule: rule)
            return ("\(text), pending: needs \(Self.pendingNeeds(rule))", bound)
        case .ok, .unknown:
            return ("\(rule.metric) \(value.compactText) within bounds", nil)
        }
    }

    /// `system_uptime 98.7 < 99 (critical)`, or why a level still holds past its bound.
    static func describe(_ level: MetricState, value: Double, rule: ThresholdRule) -> (text: String, bound: Double?) {
        let name = "\(rule.metric) \(value.compactText)"
        guard let bounds = rule.bounds(of: level) else { return ("\(name) (\(level.rawValue))", nil) }
        if let (bound, comparison) = bounds.breach(by: value) {
            return ("\(name) \(comparison) \(bound.compactText) (\(level.rawValue))", bound)
        }
        if let clear = bounds.clear, bounds.holds(value) {
            return ("\(name), not yet past \(clear.compactText) (\(level.rawValue) until cleared)", clear)
        }
        let kept = DurationParser.format(rule.keepFiringFor)
        return ("\(name) (\(level.rawValue), kept for \(kept) after the last breach)", bounds.nearestBound(to: value))
    }

    /// `3 samples over 30s`, `3 samples` or `30s`.
    private static func pendingNeeds(_ rule: ThresholdRule) -> String {
        let duration = DurationParser.format(rule.forDuration)
        switch (rule.hits > 1, rule.forDuration > .zero) {
        case (true, true): return "\(rule.hits) samples over \(duration)"
        case (true, false): return "\(rule.hits) samples"
        default: return duration
        }
    }
}
