import DevSkyyCore
import DevSkyyDaemon
import Foundation
import Testing

@Suite("Configuration: listen.allowed_hosts and the Host check")
struct AllowedHostsTests {
    private func listen(_ tcp: String, allowed: [String] = []) -> ListenSettings {
        ListenSettings(unixPath: nil, tcp: HostPort.parse(tcp), allowedHosts: allowed)
    }

    @Test func byDefaultTheListenAddressAndTheLoopbackNamesAreAllowed() {
        let settings = listen("127.0.0.1:9464")
        #expect(settings.effectiveAllowedHosts == ["localhost", "127.0.0.1", "[::1]"])
        for host in ["127.0.0.1:9464", "127.0.0.1", "localhost", "LOCALHOST:1", "LocalHost", "[::1]:9464", "[::1]"] {
            #expect(settings.allowsHost(host), "\(host)")
        }
        for host in ["evil.example", "evil.example:9464", "127.0.0.1.evil.example", "localhost.evil.example:9464", "10.0.0.1:9464"] {
            #expect(!settings.allowsHost(host), "\(host)")
        }
    }

    @Test func anotherListenAddressIsAllowedBesidesTheLoopbackNames() {
        let v4 = listen("10.0.0.5:9464")
        #expect(v4.effectiveAllowedHosts == ["10.0.0.5", "localhost", "127.0.0.1", "[::1]"])
        #expect(v4.allowsHost("10.0.0.5:9464") && v4.allowsHost("localhost:9464"))
        #expect(!v4.allowsHost("10.0.0.6:9464"))
        let v6 = listen("[2001:DB8::5]:9464")
        #expect(v6.effectiveAllowedHosts.first == "[2001:db8::5]")
        #expect(v6.allowsHost("[2001:db8::5]:9464") && v6.allowsHost("[2001:DB8::5]"))
        #expect(!v6.allowsHost("2001:db8::5"), "IPv6 in Host is always in brackets")
        let noTCP = ListenSettings(unixPath: "/tmp/s", tcp: nil)
        #expect(noTCP.effectiveAllowedHosts == ["localhost", "127.0.0.1", "[::1]"])
        #expect(noTCP.allowsHost("localhost") && !noTCP.allowsHost("evil.example"))
    }

    @Test func aGivenListReplacesTheDefaults() {
        let settings = listen("0.0.0.0:9464", allowed: ["dash.example", "[::1]"])
        #expect(settings.effectiveAllowedHosts == ["dash.example", "[::1]"])
        #expect(settings.allowsHost("Dash.Example:443") && settings.allowsHost("dash.example") && settings.allowsHost("[::1]:9464"))
        #expect(!settings.allowsHost("localhost") && !settings.allowsHost("0.0.0.0:9464") && !settings.allowsHost("evil.example"))
    }

    static let hostile = [
        "", ":9464", ":", "localhost:", "localhost:abc", "localhost:123456", "localhost:-1", "localhost:80:80", "localhost :80",
        " localhost", "localhost\r\n", "localhost\r\nX-Evil: 1", "local\u{0}host", "localhost\t", "[::1", "[::1]x", "[::1]:",
        "[]:80", "[]", "::1", "[::1]]:80", "lоcalhost", "localhost\u{7F}", "ｌocalhost", String(repeating: "a", count: 100_000),
        String(repeating: "[", count: 1_000), "localhost:" + String(repeating: "9", count: 1_000), "localhost:٣",
    ]

    @Test(arguments: hostile) func hostileHostHeadersAreRefused(header: String) {
        #expect(!listen("127.0.0.1:9464").allowsHost(header))
        #expect(!listen("127.0.0.1:9464", allowed: ["localhost", "[::1]"]).allowsHost(header))
    }

    private func load(_ hosts: String) throws(ConfigError) -> ListenSettings {
        try ConfigLoader(environment: ["DASH": "Dash.Example"]).load(
            yaml: "listen:\n  unix: \"\"\n  tcp: 127.0.0.1:0\n  allowed_hosts: \(hosts)\n", file: "hosts.yaml"
        ).listen
    }

    @Test func theListDecodesLowercasedOnce() throws {
        #expect(
            try load("[\"${DASH}\", dash.example, \"[::1]\", \"[FE80::1]\", localhost]").allowedHosts == [
                "dash.example", "[::1]", "[fe80::1]", "localhost",
            ])
        #expect(try load("[]").allowedHosts.isEmpty)
        #expect(ListenSettings().allowedHosts.isEmpty)
    }

    static let bad: [(hosts: String, issue: String)] = [
        ("[dash.example:443]", "hosts.yaml:4: config.listen.allowed_hosts[0]: 'dash.example:443': give the host without its port"),
        ("[\"::1\"]", "hosts.yaml:4: config.listen.allowed_hosts[0]: '::1': write an IPv6 address in brackets, as [::1]"),
        ("[\"[::1]:9464\"]", "config.listen.allowed_hosts[0]: '[::1]:9464': an IPv6 address in brackets holds only hex digits"),
        ("[\"[zz]\"]", "config.listen.allowed_hosts[0]: '[zz]': an IPv6 address in brackets holds only hex digits"),
        ("[ok.example, \"bad host\"]", "config.listen.allowed_hosts[1]: 'bad host': a host name holds only letters, digits, '-' and '.'"),
        ("[\"\"]", "config.listen.allowed_hosts[0]: '': a host name holds only letters"),
        ("[[a]]", "config.listen.allowed_hosts[0]: expected a host name such as dash.example, found a list"),
        ("dash.example", "hosts.yaml:4: config.listen.allowed_hosts: expected a list"),
    ]

    @Test(arguments: bad) func badEntriesAreReportedWithFileAndLine(hosts: String, issue: String) {
        do {
            let settings = try load(hosts)
            Issue.record("accepted: \(settings.allowedHosts)")
        } catch {
            let found = error.issues.map(\.description)
            #expect(found.count == 1 && found[0].contains(issue), "\(found)")
        }
    }

    @Test func loopbackAddressesAreTellable() {
        for host in ["127.0.0.1", "127.255.0.3", "::1", "0:0:0:0:0:0:0:1", "0::1", "::ffff:127.0.0.1", "localhost", "LOCALHOST"] {
            #expect(HostPort(host: host, port: 1).isLoopback, "\(host)")
        }
        for host in [
            "0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "127.1", "127.0.0.256", "127.0.0.1.5", "example.com", "::2", "1::1",
            "1:2:3:4:5:6:7:8:9", "::1::", "::ffff:10.0.0.1", "", "localhost.example", "::1%lo",
        ] {
            #expect(!HostPort(host: host, port: 1).isLoopback, "\(host)")
        }
    }
}

extension ListenSettings {
    /// The check as the access layer makes it, from the allow-list built once at start.
    fileprivate func allowsHost(_ hostHeader: String) -> Bool { HostAllowList(self).allows(hostHeader) }
}
