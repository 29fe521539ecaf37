import DevSkyyCore
import Testing

/// One URL and what each form of `URLRedaction` must show of it; `secrets` must appear in neither.
struct RedactionCase: CustomTestStringConvertible, Sendable {
    let url: String
    let redacted: String
    let origin: String
    var secrets: [String] = []

    var testDescription: String { url }
}

@Suite("URL redaction for logs, errors and answers")
struct URLRedactionTests {
    static let cases: [RedactionCase] = [
        // Query values go, names stay (all three former copies).
        .init(
            url: "https://api.example.com/v1/metrics?api_key=K3Y-1&page=1",
            redacted: "https://api.example.com/v1/metrics?api_key=[redacted]&page=[redacted]", origin: "https://api.example.com",
            secrets: ["K3Y-1"]),
        // User and password go whole, marked (the configuration route's form; the explanation dropped them unmarked).
        .init(
            url: "https://user:pw-123@bearer.example.com/m", redacted: "https://[redacted]@bearer.example.com/m",
            origin: "https://bearer.example.com", secrets: ["user", "pw-123"]),
        // A user name alone is often the token.
        .init(
            url: "https://T0K3N@host.example/m", redacted: "https://[redacted]@host.example/m", origin: "https://host.example",
            secrets: ["T0K3N"]),
        // A password holding `@`: the authority ends at the last one.
        .init(
            url: "https://u:p@ss@host.example/", redacted: "https://[redacted]@host.example/", origin: "https://host.example",
            secrets: ["p@ss"]),
        // Scheme, host, port and path stay.
        .init(url: "http://127.0.0.1:9093/", redacted: "http://127.0.0.1:9093/", origin: "http://127.0.0.1:9093"),
        .init(url: "file:///var/lib/devskyy/x.json", redacted: "file:///var/lib/devskyy/x.json", origin: "file://"),
        .init(
            url: "http://[::1]:8080/x?k=v4lue", redacted: "http://[::1]:8080/x?k=[redacted]", origin: "http://[::1]:8080",
            secrets: ["v4lue"]),
        // The origin form is for webhooks whose path is the token (Slack, Teams): the alerts' former copy.
        .init(
            url: "https://hooks.example.com/services/T000/B000/hookpath9",
            redacted: "https://hooks.example.com/services/T000/B000/hookpath9", origin: "https://hooks.example.com"),
        .init(
            url: "http://127.0.0.1:8080/hooks/T0K3N-in-path?key=T0K3N",
            redacted: "http://127.0.0.1:8080/hooks/T0K3N-in-path?key=[redacted]",
            origin: "http://127.0.0.1:8080"),
        .init(
            url: "https://u:p4ss@hooks.example:8443/x#frag", redacted: "https://[redacted]@hooks.example:8443/x#[redacted]",
            origin: "https://hooks.example:8443", secrets: ["p4ss", "frag"]),
        .init(
            url: "https://hooks.example?token=tok9", redacted: "https://hooks.example?token=[redacted]", origin: "https://hooks.example",
            secrets: ["tok9"]),
        // An item without `=` may be a bare token; empty items stay so the shape is readable.
        .init(
            url: "https://h.example/p?s3cr3t&a=&&b=2", redacted: "https://h.example/p?[redacted]&a=[redacted]&&b=[redacted]",
            origin: "https://h.example", secrets: ["s3cr3t"]),
        // Fragments can carry `access_token=…`; an empty one shows nothing to mask.
        .init(
            url: "https://h.example/cb#access_token=at-77", redacted: "https://h.example/cb#[redacted]", origin: "https://h.example",
            secrets: ["at-77"]),
        .init(url: "https://h.example/p?x=1#", redacted: "https://h.example/p?x=[redacted]#", origin: "https://h.example"),
        // A URL inside a query value is a value like any other.
        .init(
            url: "https://h.example/login?next=https://u:pw9@evil.example/", redacted: "https://h.example/login?next=[redacted]",
            origin: "https://h.example", secrets: ["pw9"]),
        // Characters Foundation's parser refuses (the explanation's former copy said "unparseable") cannot hide a secret.
        .init(
            url: "https://social.example.com/{id}?t=tt-1", redacted: "https://social.example.com/{id}?t=[redacted]",
            origin: "https://social.example.com", secrets: ["tt-1"]),
        // A proxy may be given without a scheme, as curl allows: its password still goes; there is no origin.
        .init(
            url: "user:proxypw@proxy.example:3128", redacted: "[redacted]@proxy.example:3128", origin: "(unparseable URL)",
            secrets: ["proxypw"]),
        .init(url: "hooks.example/T0K3N", redacted: "hooks.example/T0K3N", origin: "(unparseable URL)"),
        // A `/` in a password cuts the authority short: what looks like host and port is the secret, so nothing is shown.
        .init(
            url: "https://user:pa5/ss9@host.example/m", redacted: "(unparseable URL)", origin: "(unparseable URL)",
            secrets: ["pa5", "ss9"]),
        .init(url: "https://host.example:http/m", redacted: "(unparseable URL)", origin: "(unparseable URL)"),
        // User info holding `/`, `?` or `#` is cut short where no port gives it away: an `@` after the cut hides all.
        .init(
            url: "https://dXNl/cGFzcw==@api.example.com/m", redacted: "(unparseable URL)", origin: "(unparseable URL)",
            secrets: ["dXNl", "cGFzcw"]),
        .init(
            url: "https://user:2024/pw@host.example/", redacted: "(unparseable URL)", origin: "(unparseable URL)",
            secrets: ["2024", "pw"]),
        .init(url: "https://tok?en@host.example/x", redacted: "(unparseable URL)", origin: "(unparseable URL)", secrets: ["tok"]),
        .init(url: "https://tok#en@host.example/x", redacted: "(unparseable URL)", origin: "(unparseable URL)", secrets: ["tok"]),
        // Which a path's own `@` cannot be told from.
        .init(url: "https://social.example/@user/feed", redacted: "(unparseable URL)", origin: "(unparseable URL)"),
        // An `@` in a query value is a value's: masked with it.
        .init(
            url: "https://h.example/p?email=ops@team.example", redacted: "https://h.example/p?email=[redacted]",
            origin: "https://h.example", secrets: ["ops", "team.example"]),
    ]

    @Test(arguments: cases) func eachFormShowsOnlyWhatItMay(_ redaction: RedactionCase) {
        let redacted = URLRedaction.redacted(redaction.url)
        let origin = URLRedaction.origin(redaction.url)
        #expect(redacted == redaction.redacted)
        #expect(origin == redaction.origin)
        for secret in redaction.secrets {
            #expect(!redacted.contains(secret) && !origin.contains(secret), "\(secret) leaks")
        }
    }

    @Test func theConfigurationMarkerIsTheURLMarker() {
        #expect(DaemonConfig.redactedMarker == URLRedaction.marker)
    }

    @Test func webhookDescriptionShowsOnlyTheOriginAndHeaderNames() {
        let webhook = AlertSettings.Webhook(url: "https://u:pw@hooks.example/T0K3N?k=T0K3N", headers: ["X-Token": "s3cret"])
        #expect("\(webhook)" == "webhook https://hooks.example (headers: X-Token)")
    }
}
