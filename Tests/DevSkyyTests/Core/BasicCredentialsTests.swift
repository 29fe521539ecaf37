import DevSkyyCore
import Foundation
import Testing

@Suite("HTTP Basic client credentials (RFC 6749 §2.3.1)")
struct BasicCredentialsTests {
    private func field(_ raw: String, scheme: String = "Basic") -> String { "\(scheme) " + Data(raw.utf8).base64EncodedString() }

    @Test func idAndSecretAreFormDecodedAfterBase64() throws {
        // RFC 6749 §2.3.1: each part form-urlencoded first, so a colon in either survives.
        let parsed = try BasicCredentials.parse(authorization: field("my%3Aclient:p%40ss%3Aword+%C3%BC"))
        #expect(parsed == BasicCredentials(clientID: "my:client", secret: "p@ss:word ü"))
        #expect(try BasicCredentials.parse(authorization: field("a:b:c")) == BasicCredentials(clientID: "a", secret: "b:c"))
        #expect(try BasicCredentials.parse(authorization: field("a:", scheme: "bAsIc")) == BasicCredentials(clientID: "a", secret: ""))
    }

    @Test func otherSchemesAreNotBasic() throws {
        #expect(try BasicCredentials.parse(authorization: "Bearer abc.def.ghi") == nil)
        #expect(try BasicCredentials.parse(authorization: "Basically") == nil)
        #expect(try BasicCredentials.parse(authorization: "") == nil)
    }

    @Test(arguments: [
        "Basic", "Basic ", "Basic !!!", "Basic YWJj", "Basic OmI=",
    ])
    func malformedBasicIsRefused(_ value: String) {
        // No credentials, not base64, no colon ("abc"), an empty id (":b").
        #expect(throws: FormBodyError.self, "\(value)") { try BasicCredentials.parse(authorization: value) }
    }

    @Test func brokenEscapesAndLongFieldsAreRefused() {
        #expect(throws: FormBodyError.self) { try BasicCredentials.parse(authorization: field("a%zz:b")) }
        #expect(throws: FormBodyError.self) { try BasicCredentials.parse(authorization: field("a:%FF")) }
        let long = field("a:" + String(repeating: "x", count: BasicCredentials.maximumFieldBytes))
        #expect(throws: FormBodyError.self) { try BasicCredentials.parse(authorization: long) }
    }
}
