import DevSkyyCore
import Testing

@Suite struct AnonymousRouteTests {
    @Test func aPathAloneMatchesEveryMethodAndAMethodOnlyItself() throws {
        let any = try AnonymousRoute.parse("/metrics").get()
        #expect(any.method == nil && any.matches(method: "GET", path: "/metrics") && any.matches(method: "POST", path: "/metrics"))
        #expect(!any.matches(method: "GET", path: "/metrics/") && !any.matches(method: "GET", path: "/METRICS"))
        let get = try AnonymousRoute.parse("get   /api/v1/orchestration/health").get()
        #expect(get == AnonymousRoute(method: "GET", path: "/api/v1/orchestration/health"))
        #expect(get.matches(method: "GET", path: "/api/v1/orchestration/health"))
        #expect(!get.matches(method: "HEAD", path: "/api/v1/orchestration/health"))
        #expect(!get.matches(method: "get", path: "/api/v1/orchestration/health"), "request methods are compared as sent")
        #expect(AnonymousRoute.defaults.map(\.description) == ["/metrics", "GET /api/v1/orchestration/health"])
    }

    @Test(arguments: ["", " ", "metrics", "GET", "GET /a /b", "G-T /a", "GET /a b", "/a?b", "/a#b", "/é", "/a\u{0}", "ГET /a"])
    func malformedRoutesAreRefused(text: String) {
        guard case .failure = AnonymousRoute.parse(text) else {
            Issue.record("accepted '\(text)'")
            return
        }
    }
}
