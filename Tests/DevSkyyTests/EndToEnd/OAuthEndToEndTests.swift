import DevSkyyAuth
import DevSkyyCollect
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

/// OAuth 2.0 client credentials (`POST /api/v1/auth/token`) on the built devskyyd with its own redis-server, over TCP:
/// a configuration with clients and no users, tokens by HTTP Basic, by the form and by the collectors' own libcurl
/// client, each §5.2 refusal with its status, the throttle on failed client authentications, and a log without the
/// secret.
@Suite("OAuth client credentials end to end", .serialized)
struct OAuthEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture

    /// Characters that form-urlencoding and Basic's colon must both survive.
    static let secret = "s3cret: with+plus&amp=equals%25 ünï"
    static let form = "application/x-www-form-urlencoded"

    /// A token request to the daemon on `port`, with the client's id and secret in a Basic field if `basic` is given.
    static func token(
        _ port: Int, _ body: String, basic: (String, String)? = nil, contentType: String = OAuthEndToEndTests.form
    ) async throws -> PlainHTTP.Answer {
        var headers = ["Content-Type": contentType]
        if let (id, secret) = basic {
            let joined = PercentEncoding.queryValue(id) + ":" + PercentEncoding.queryValue(secret)
            headers["Authorization"] = "Basic " + Data(joined.utf8).base64EncodedString()
        }
        return try await PlainHTTP.request("POST", "/api/v1/auth/token", port: port, headers: headers, body: Array(body.utf8))
    }

    /// The claims of a JWT, read without checking it: the daemon checks, the test only looks.
    static func claims(_ token: String) throws -> [String: Any] {
        var payload = String(try #require(token.split(separator: ".").dropFirst().first))
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.utf8.count % 4) % 4)
        let data = try #require(Data(base64Encoded: payload))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `answer` is the §5.2 refusal `code` with its status (401 and a Basic challenge for invalid_client), uncached.
    static func expectRefusal(_ answer: PlainHTTP.Answer, _ code: String, _ comment: Comment) throws {
        let status = code == "invalid_client" ? 401 : 400
        #expect(answer.status == status, comment)
        let object = try AuthEndToEndTests.Daemon(port: 0).object(answer)
        #expect(object["error"] as? String == code, comment)
        #expect((object["error_description"] as? String).map { !$0.isEmpty } == true, comment)
        #expect(object["status"] == nil, "OAuth's shape, not the API's: \(comment)")
        #expect(answer.headers["cache-control"] == "no-store", comment)
        if code == "invalid_client" {
            #expect(answer.headers["www-authenticate"]?.hasPrefix("Basic ") == true, comment)
        } else {
            #expect(answer.headers["www-authenticate"] == nil, comment)
        }
    }

    @Test func clientsGetTokensOfTheirRoleAndEveryRefusalIsRFC6749s() async throws {
        let hash = try PasswordHasher.makeHash(Self.secret, cost: 10)
        try await Fixture.run { f in
            let config =
                try String(contentsOfFile: f.configPath, encoding: .utf8) + """

                    auth:
                      jwt_secret: "\(AuthEndToEndTests.secret)"
                      clients:
                        - { client_id: reporter, secret_hash: "\(hash)", role: metrics_viewer }
                    """
            f.folder.write("oauth.yaml", config)
            let daemon = try f.start(config: f.folder.file("oauth.yaml"), systemd: false)
            defer { daemon.signal(SIGKILL) }
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil }, "\(daemon.stderrSoFar)")
            let d = AuthEndToEndTests.Daemon(port: f.tcpPort)
            let port = f.tcpPort
            let grant = "grant_type=client_credentials"
            let formCredentials = "client_id=reporter&client_secret=\(PercentEncoding.queryValue(Self.secret))"
            var tokens: [String] = []

            // By HTTP Basic and by the form: a token of the client's role, for the client, never cached.
            for (body, basic) in [(grant, ("reporter", Self.secret)), ("\(grant)&\(formCredentials)", nil)] {
                let answer = try await Self.token(port, body, basic: basic)
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                #expect(answer.headers["cache-control"] == "no-store")
                #expect(answer.headers["pragma"] == "no-cache")
                let object = try d.object(answer)
                #expect(object["token_type"] as? String == "bearer")
                #expect(object["scope"] as? String == "metrics_viewer")
                #expect((object["expires_in"] as? Int).map { $0 > 0 && $0 <= 900 } == true)
                #expect(object["refresh_token"] == nil, "RFC 6749 §4.4.3")
                let token = try #require(object["access_token"] as? String)
                let claims = try Self.claims(token)
                #expect(claims["client_id"] as? String == "reporter" && claims["sub"] as? String == "reporter")
                #expect(claims["role"] as? String == "metrics_viewer")
                tokens.append(token)
            }
            // The role's permissions apply: history yes, the configuration no.
            #expect(try await d.send("GET", "/api/v1/series", token: tokens[0]).status == 200)
            let forbidden = try await d.send("GET", "/api/v1/orchestration/config", token: tokens[1])
            #expect(forbidden.status == 403)
            #expect(String(decoding: forbidden.body, as: UTF8.self).contains("orchestration:admin"))
            // The collectors' own OAuth client (libcurl) gets one too.
            let engine = CurlEngine()
            let source = OAuth2TokenSource(
                settings: .init(
                    tokenURL: "http://localhost:\(f.tcpPort)/api/v1/auth/token", clientID: "reporter", clientSecret: Self.secret,
                    scopes: ["metrics_viewer"]),
                engine: engine, timeout: .seconds(10))
            let fetched = try await source.token()
            await engine.shutdown()
            tokens.append(fetched)
            #expect(try await d.send("GET", "/api/v1/series", token: fetched).status == 200)

            // Scope: the role by name, nothing more.
            #expect(try await Self.token(port, "\(grant)&scope=metrics_viewer", basic: ("reporter", Self.secret)).status == 200)
            try Self.expectRefusal(
                try await Self.token(port, "\(grant)&scope=orchestration_admin", basic: ("reporter", Self.secret)), "invalid_scope",
                "another role")

            // Malformed requests, refused before any secret is checked.
            try Self.expectRefusal(try await Self.token(port, formCredentials), "invalid_request", "no grant_type")
            try Self.expectRefusal(
                try await Self.token(port, "\(grant)&\(grant)&\(formCredentials)"), "invalid_request", "grant_type twice")
            try Self.expectRefusal(
                try await Self.token(port, "\(grant)&client_id=reporter", basic: ("reporter", Self.secret)), "invalid_request",
                "both methods")
            try Self.expectRefusal(
                try await Self.token(port, "\(grant)&\(formCredentials)", contentType: "application/json"), "invalid_request", "a JSON body"
            )
            try Self.expectRefusal(
                try await Self.token(port, "\(grant)&client_id=%zz&client_secret=x"), "invalid_request", "a broken escape")
            try Self.expectRefusal(
                try await Self.token(port, "grant_type=password&\(formCredentials)"), "unsupported_grant_type", "the password grant")
            try Self.expectRefusal(try await Self.token(port, grant), "invalid_client", "no client authentication")

            // Wrong secrets: invalid_client, and from the fifth failure on this address even the right one waits.
            try Self.expectRefusal(try await Self.token(port, grant, basic: ("reporter", "wrong")), "invalid_client", "a wrong secret")
            try Self.expectRefusal(
                try await Self.token(port, "\(grant)&client_id=reporter&client_secret=wrong"), "invalid_client", "in the form")
            try Self.expectRefusal(try await Self.token(port, grant, basic: ("nobody", Self.secret)), "invalid_client", "an unknown client")
            for _ in 0..<2 { _ = try await Self.token(port, grant, basic: ("reporter", "wrong")) }
            let throttled = try await Self.token(port, grant, basic: ("reporter", Self.secret))
            #expect(throttled.status == 429, "\(String(decoding: throttled.body, as: UTF8.self))")
            #expect(throttled.headers["retry-after"] != nil)

            daemon.signal(SIGTERM)
            let exit = await daemon.wait()
            #expect(exit.status == 0)
            let log = exit.stderr
            for credential in [Self.secret, PercentEncoding.queryValue(Self.secret), hash] + tokens {
                #expect(!log.contains(credential), "the log holds a credential")
            }
            #expect(log.contains("access: client token issued"), "issued tokens are audited")
            #expect(log.contains("access: client authentication refused") && log.contains("reporter"), "failures name the client")
        }
    }
}
