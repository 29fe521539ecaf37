import DevSkyyCore
import Foundation

/// The JSON bodies the notifiers send. Field names follow Alertmanager's, so a receiver written for
/// Alertmanager webhooks reads DevSkyy's as well.
enum AlertPayload {
    /// Every alert has this `alertname`; the partnership, metric and severity labels tell them apart.
    static let alertName = "DevSkyyMetricHealth"
    /// What Alertmanager's webhooks put in `endsAt` for an alert still firing.
    static let zeroTime = "0001-01-01T00:00:00Z"

    struct Alert: Encodable, Equatable {
        var status: String?
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String
        var value: Double?
    }

    /// `{version, status, alerts: [...]}`: status is `firing` when any alert is.
    struct Webhook: Encodable {
        var version = "4"
        var receiver = "devskyy"
        var status: String
        var alerts: [Alert]
    }

    static func alert(_ notice: AlertNotice, withStatus: Bool) -> Alert {
        Alert(
            status: withStatus ? notice.status.rawValue : nil,
            labels: [
                "alertname": alertName, "partnership": notice.key.partnership, "metric": notice.key.metric,
                "severity": notice.severity.rawValue,
            ],
            annotations: ["summary": notice.summary, "description": notice.reason.isEmpty ? notice.summary : notice.reason],
            startsAt: Timestamp.iso8601(milliseconds: notice.startsAt),
            endsAt: notice.endsAt.map { Timestamp.iso8601(milliseconds: $0) } ?? zeroTime,
            value: withStatus ? notice.value : nil
        )
    }

    static func webhookBody(_ notices: [AlertNotice]) -> [UInt8] {
        let status = notices.contains { $0.status == .firing } ? "firing" : "resolved"
        return encode(Webhook(status: status, alerts: notices.map { alert($0, withStatus: true) }))
    }

    /// The array `POST /api/v2/alerts` takes.
    static func alertmanagerBody(_ notices: [AlertNotice]) -> [UInt8] {
        encode(notices.map { alert($0, withStatus: false) })
    }

    private static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain strings and numbers only: encoding cannot fail.
        return Array((try? encoder.encode(value)) ?? Data("[]".utf8))
    }
}
