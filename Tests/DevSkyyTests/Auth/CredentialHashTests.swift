import DevSkyyCore
import Testing

@Suite struct CredentialHashTests {
    static let body = "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"

    @Test func bcryptHashesOfEachVersionAndCostFromTenToThirtyOneAreAccepted() {
        for version in ["2a", "2b", "2y"] {
            for cost in ["10", "12", "31"] { #expect(CredentialHash.bcryptProblem("$\(version)$\(cost)$\(Self.body)") == nil) }
        }
    }

    static let refused: [String] = {
        let short = String(body.dropLast())
        return [
            "", "$2b$12$", "$2b$12$" + body + "x", "$2$12$" + body + "x", "$2c$12$" + body, "$3b$12$" + body, "x2b$12$" + body,
            "$2b$05$" + body, "$2b$99$" + body, "$2b$1a$" + body, "$2b$12x" + body, "$2b$12$" + short + "é",
            "$2b$12$" + short + "=", "$2b$12$" + short + "\n", "$２b$12$" + String(short.dropLast()),
        ]
    }()

    @Test(arguments: refused)
    func anythingElseIsRefused(text: String) {
        #expect(CredentialHash.bcryptProblem(text) != nil)
    }

    @Test func sha256IsSixtyFourLowercaseHexCharacters() {
        #expect(CredentialHash.sha256HexProblem(String(repeating: "0a", count: 32)) == nil)
        for bad in [
            "", String(repeating: "0", count: 63), String(repeating: "0", count: 65), String(repeating: "A", count: 64),
            String(repeating: "g", count: 64), String(repeating: "é", count: 32), String(repeating: "０", count: 21) + "0",
        ] {
            #expect(CredentialHash.sha256HexProblem(bad) != nil, "\(bad)")
        }
    }
}
