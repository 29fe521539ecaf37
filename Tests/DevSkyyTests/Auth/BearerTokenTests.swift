import Testing

@testable import DevSkyyServer

/// The `Authorization` field's bearer token, read byte by byte on the fast path.
struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"), ("bearer abc", "abc"), ("BEARER\tabc", "abc"), ("  Bearer   abc  ", "abc"),
        ("Bearer a b", "a b"), ("Bearer é", "é"),
    ])
    func tokensAreRead(field: String, token: String) {
        #expect(Authenticator.bearerToken(field) == token)
    }

    @Test(arguments: [
        "", "Bearer", "Bearer ", "Bearer \t ", "Bearerabc", "Basic YTpi", "Bearér abc", "Bea", "Bearer\u{0}abc", "xBearer abc",
    ])
    func anythingElseIsNone(field: String) {
        #expect(Authenticator.bearerToken(field) == nil)
    }
}
