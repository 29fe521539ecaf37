import DevSkyyCore
import Foundation
import Testing

@testable import DevSkyyServer

/// Reading a token request of the client-credentials grant: each RFC 6749 §5.2 refusal made before any secret is
/// checked, and the scope a client may ask for.
@Suite("OAuth token requests")
struct ClientCredentialsRequestTests {
    static let grant = "grant_type=client_credentials"

    private func parse(_ body: String, basic: String? = nil) throws(OAuthError) -> ClientCredentialsRequest {
        try ClientCredentialsRequest.parse(
            body: Array(body.utf8), authorization: basic.map { "Basic " + Data($0.utf8).base64EncodedString() })
    }

    private func code(_ body: String, basic: String? = nil, authorization: String? = nil) -> OAuthError.Code? {
        do {
            if let authorization {
                _ = try ClientCredentialsRequest.parse(body: Array(body.utf8), authorization: authorization)
            } else {
                _ = try parse(body, basic: basic)
            }
            return nil
        } catch {
            return error.code
        }
    }

    @Test func basicAndFormCredentialsAreRead() throws {
        #expect(try parse(Self.grant, basic: "reporter:s%3Acret") == .init(clientID: "reporter", secret: "s:cret", scope: []))
        #expect(
            try parse("\(Self.grant)&client_id=reporter&client_secret=s%3Acret&scope=metrics_viewer&unknown=ignored")
                == .init(clientID: "reporter", secret: "s:cret", scope: ["metrics_viewer"]))
        #expect(try parse("\(Self.grant)&scope=", basic: "a:b").scope == [], "an empty scope is no scope")
    }

    @Test(arguments: [
        // Malformed bodies and missing or repeated parameters (§3.2, §4.4.2).
        ("client_id=a&client_secret=b", nil, OAuthError.Code.invalidRequest),
        ("grant_type=&client_id=a&client_secret=b", nil, .invalidRequest),
        ("\(grant)&\(grant)&client_id=a&client_secret=b", nil, .invalidRequest),
        ("\(grant)&client_id=a&client_id=a&client_secret=b", nil, .invalidRequest),
        ("\(grant)&client_id=%zz&client_secret=b", nil, .invalidRequest),
        // Both ways of authenticating at once (§2.3).
        ("\(grant)&client_id=a&client_secret=b", "a:b", .invalidRequest),
        ("\(grant)&client_secret=b", "a:b", .invalidRequest),
        ("\(grant)&client_id=", "a:b", .invalidRequest),
        // Another grant.
        ("grant_type=password&username=u&password=p", nil, .unsupportedGrantType),
        ("grant_type=Client_Credentials", "a:b", .unsupportedGrantType),
        // No client authentication, or half of it.
        (grant, nil, .invalidClient),
        ("\(grant)&client_id=a", nil, .invalidClient),
        ("\(grant)&client_secret=b", nil, .invalidClient),
        ("\(grant)&client_id=a&client_secret=", nil, .invalidClient),
        (grant, "no colon", .invalidClient),
        (grant, ":secret", .invalidClient),
        (grant, String(repeating: "i", count: 257) + ":s", .invalidClient),
        // Scopes that are not scope tokens (§3.3).
        ("\(grant)&scope=a++b", "a:b", .invalidScope),
        ("\(grant)&scope=+a", "a:b", .invalidScope),
        ("\(grant)&scope=%22quoted%22", "a:b", .invalidScope),
        ("\(grant)&scope=%C3%BC", "a:b", .invalidScope),
    ])
    func refusals(_ body: String, _ basic: String?, _ expected: OAuthError.Code) {
        #expect(code(body, basic: basic) == expected, "\(body) \(basic ?? "")")
    }

    @Test func onlyBasicAuthenticatesThroughTheAuthorizationField() {
        #expect(code("\(Self.grant)&client_id=a&client_secret=b", authorization: "Bearer x.y.z") == .invalidClient)
        #expect(code(Self.grant, authorization: "Basic !!!") == .invalidClient)
        #expect(code(Self.grant, authorization: "Digest username=a") == .invalidClient)
    }

    @Test func theOnlyScopeIsTheClientsRole() throws {
        let request = try parse("\(Self.grant)&scope=metrics_viewer", basic: "a:b")
        #expect(try request.grantedScope(for: .metricsViewer) == "metrics_viewer")
        #expect(throws: OAuthError.self) { try request.grantedScope(for: .orchestrationAdmin) }
        #expect(try parse(Self.grant, basic: "a:b").grantedScope(for: .contentManager) == "content_manager")
        #expect(
            try parse("\(Self.grant)&scope=admin+orchestration_admin", basic: "a:b").grantedScope(for: .orchestrationAdmin)
                == "orchestration_admin")
        #expect(throws: OAuthError.self) {
            try parse("\(Self.grant)&scope=metrics_viewer+metrics:read", basic: "a:b").grantedScope(for: .metricsViewer)
        }
    }

    @Test func refusalsAnswerInOAuthsShape() throws {
        let client = OAuthError(.invalidClient, "client authentication failed").answer
        #expect(client.status == .unauthorized)
        #expect(client.headers[.wwwAuthenticate] == OAuthError.challenge)
        #expect(client.headers[.cacheControl] == "no-store")
        let scope = OAuthError(.invalidScope, "no").answer
        #expect(scope.status == .badRequest && scope.headers[.wwwAuthenticate] == nil)
    }
}
