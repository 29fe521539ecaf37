import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import Foundation
import Testing

/// A `${VAR}` holding CR/LF used to put extra header lines into a collector's request.
@Suite("Header injection through the configuration")
struct HeaderInjectionTests {
    static func yaml(headers: String, extra: String = "") -> String {
        """
        redis: { url: "redis://127.0.0.1:6379/0" }
        partnerships: [{ id: p, type: technical }]
        collectors:
          - name: c
            partnership: p
            url: http://127.0.0.1:8080/x.json
            headers: \(headers)
            \(extra)
            metrics: [{ name: m, path: a }]
        """
    }

    func issues(_ yaml: String, _ environment: [String: String]) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader(environment: environment).load(yaml: yaml, file: "h.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    @Test(arguments: ["s3cret\r\nX-Injected: yes", "s3cret\nX-Injected: yes", "s3cret\u{0}", "a\rb"])
    func controlCharactersInAHeaderValueAreRefusedAtLoad(_ token: String) {
        let found = issues(Self.yaml(headers: #"{ Authorization: "Bearer ${TOKEN}" }"#), ["TOKEN": token])
        #expect(found.count == 1)
        let message = found.first.map { "\($0.line): \($0.message)" } ?? ""
        #expect(message.contains("7: collectors[0].headers.Authorization: the value holds a control character"), "\(message)")
        #expect(!message.contains("s3cret"), "the value may be a secret")
    }

    @Test func bearerTokenAndBadNamesAreCheckedToo() {
        let token = issues(
            Self.yaml(headers: "{}", extra: #"bearer_token: "${TOKEN}""#), ["TOKEN": "abc\r\nX-Evil: 1"])
        #expect(token.map(\.message).contains { $0.contains("collectors[0].bearer_token: the value holds a control character") })
        let name = issues(Self.yaml(headers: #"{ "Bad Name": "x" }"#), [:])
        #expect(name.map(\.message).contains { $0.contains("is not a valid header name") })
        #expect(issues(Self.yaml(headers: #"{ X-Tab: "a\tb", Authorization: "Bearer ${TOKEN}" }"#), ["TOKEN": "ok"]).isEmpty)
    }

    @Test func theFetcherRefusesSuchAHeaderWhateverBuiltTheRequest() {
        let request = FetchRequest(url: "http://127.0.0.1:1/x", headers: ["X-A": "1\r\nX-B: 2"], timeout: .seconds(1))
        guard case .failure(let error) = fetchBlocking(request) else {
            Issue.record("the request was sent")
            return
        }
        #expect(error.message.contains("request header X-A: the value holds a control character"))
    }
}
