extension ConfigDecoder {
    /// `rate_limits: { metrics: 100/min, decisions: 10/min, content: 50/min, reports: 20/min, default: 100/min,
    /// shared: false }`.
    func decodeRateLimits(_ map: ConfigMapping) -> RateLimitSettings {
        map.allowOnly(RateLimitClass.allCases.map(\.rawValue) + ["shared"])
        var settings = RateLimitSettings(shared: flag(map, "shared") ?? false)
        for endpointClass in RateLimitClass.allCases {
            let key = endpointClass.rawValue
            guard let text = map.string(key) else { continue }
            if let limit = RateLimit.parse(text) {
                settings.setLimit(limit, for: endpointClass)
            } else {
                let range = RateLimit.countRange
                map.log.add(
                    map.line(of: key),
                    "\(map.child(key)): expected a rate such as 100/min (a whole number from \(range.lowerBound) to "
                        + "\(range.upperBound) per s, min or h), found '\(text)'")
            }
        }
        return settings
    }
}
