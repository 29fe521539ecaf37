import DevSkyyCore
import Foundation
import Logging
import Synchronization

// Shared by the alert suites.

/// A notice firing since `startsAt` (unix ms).
func firingNotice(_ metric: String = "system_uptime", severity: AlertSeverity = .critical, startsAt: Int64, endsAt: Int64? = nil)
    -> AlertNotice
{
    AlertNotice(
        status: .firing, key: MetricKey(partnership: "technical", metric: metric), severity: severity, startsAt: startsAt,
        endsAt: endsAt, value: 98.5, reason: "value 98.5 below 99"
    )
}

/// Decodes a JSON document received by a test server.
func json(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8))
}
