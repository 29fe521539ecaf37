extension ConfigDecoder {
    /// `alerts: { delay, repeat_interval, resend_interval, webhook: {...}, alertmanager: {...} }`.
    func decodeAlerts(_ map: ConfigMapping) -> AlertSettings {
        map.allowOnly(["delay", "repeat_interval", "resend_interval", "webhook", "alertmanager"])
        var settings = AlertSettings()
        settings.delay = map.duration("delay") ?? settings.delay
        settings.repeatInterval = positive(map, "repeat_interval") ?? settings.repeatInterval
        settings.resendInterval = positive(map, "resend_interval") ?? settings.resendInterval
        if let hook = map.mapping("webhook") {
            hook.allowOnly(["url", "headers", "timeout", "retries"])
            let url = alertURL(hook)
            var webhook = AlertSettings.Webhook(url: url ?? "", headers: headers(hook))
            webhook.timeout = positive(hook, "timeout") ?? webhook.timeout
            if let text = hook.string("retries") {
                if let n = Int(text), (0...10).contains(n) {
                    webhook.retries = n
                } else {
                    hook.log.add(
                        hook.line(of: "retries"), "\(hook.child("retries")): expected a whole number from 0 to 10, found '\(text)'")
                }
            }
            if url != nil { settings.webhook = webhook }
        }
        if let manager = map.mapping("alertmanager") {
            manager.allowOnly(["url", "timeout"])
            if let url = alertURL(manager) {
                settings.alertmanager = .init(url: url, timeout: positive(manager, "timeout") ?? .seconds(5))
            } else {
                _ = positive(manager, "timeout")
            }
        }
        if map["webhook"] == nil && map["alertmanager"] == nil {
            map.log.add(map.node.line, "\(map.path): give a webhook, an alertmanager or both")
        }
        return settings
    }

    /// An http or https URL; the problem is reported without the URL, whose path may hold a token.
    private func alertURL(_ map: ConfigMapping) -> String? {
        guard let url = map.required("url") else { return nil }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        if scheme != "http" && scheme != "https" {
            map.log.add(map.line(of: "url"), "\(map.child("url")): bad URL: use http or https")
            return nil
        }
        if let problem = Self.urlProblem(url) {
            map.log.add(map.line(of: "url"), "\(map.child("url")): bad URL: \(problem)")
            return nil
        }
        return url
    }
}
