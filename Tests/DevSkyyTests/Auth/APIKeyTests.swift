import DevSkyyCore
import Testing

@testable import DevSkyyAuth

@Suite("API keys")
struct APIKeyTests {
    @Test func generatedKeysAreRandomPrefixedAndBase64URL() {
        let keys = (0..<100).map { _ in APIKey.generate() }
        #expect(Set(keys).count == 100)
        for key in keys {
            #expect(key.hasPrefix("dsk_") && key.utf8.count == 4 + 43)
            #expect(Base64URL.decode(key.dropFirst(4))?.count == 32)
        }
    }

    @Test func hashesAreLowercaseHexSHA256() {
        // SHA-256("abc") from FIPS 180-2's examples.
        #expect(APIKey.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(APIKey.isHash(APIKey.hash(APIKey.generate())))
        #expect(!APIKey.isHash("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"))
        #expect(!APIKey.isHash("ba78"))
    }

    @Test func theTableFindsTheKeyByItsHashOnly() {
        let ci = APIKey.generate()
        let grafana = APIKey.generate()
        let table = APIKeyTable([
            .init(name: "ci", keyHash: APIKey.hash(ci), role: .orchestrationAdmin),
            .init(name: "grafana", keyHash: APIKey.hash(grafana), role: .metricsViewer),
        ])
        #expect(table.identity(for: ci) == Identity(subject: "ci", kind: .apiKey, role: .orchestrationAdmin))
        #expect(table.identity(for: grafana)?.subject == "grafana")
        #expect(table.identity(for: APIKey.generate()) == nil)
        #expect(table.identity(for: "") == nil)
        #expect(table.identity(for: APIKey.hash(ci)) == nil)
        #expect(table.identity(for: String(ci.dropLast())) == nil)
        #expect(table.identity(for: String(repeating: "x", count: 10_000)) == nil)
    }
}
