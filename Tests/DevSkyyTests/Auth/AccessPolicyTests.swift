import DevSkyyCore
import DevSkyyServer
import Hummingbird
import Testing

@Suite struct AccessPolicyTests {
    let policy = AccessPolicy(anonymous: AnonymousRoute.defaults, allowsHost: { $0 == "localhost:9464" })

    private func decide(
        _ route: APIRoute, _ credentials: AccessPolicy.Credentials, transport: APIRequestContext.Transport = .tcp,
        host: String? = "localhost:9464", policy: AccessPolicy? = nil
    ) -> AccessPolicy.Decision {
        (policy ?? self.policy).decide(
            method: route.method, path: Substring(route.path), route: route, transport: transport, host: host, credentials: credentials)
    }

    /// Every declared route against every role: allowed exactly when the role holds the route's permission.
    @Test(arguments: Role.allCases)
    func eachRoleReachesExactlyItsPermissions(role: Role) {
        let caller = Identity(subject: "someone", kind: .user, role: role)
        for route in APIRoutes.all {
            let expected: AccessPolicy.Decision = role.allows(route.permission) ? .allow(caller) : .forbidden(route.permission)
            #expect(decide(route, .valid(caller)) == expected, "\(role) \(route.key)")
        }
    }

    @Test func withoutCredentialsOnlyTheAnonymousRoutesAnswerOnTCP() {
        for route in APIRoutes.all {
            // The login routes check what they are sent themselves.
            let open = route.key == "GET /metrics" || route.key == "GET /api/v1/orchestration/health" || route.permission == .anyone
            #expect(decide(route, .none) == (open ? .allow(nil) : .unauthorized(invalidToken: false)), "\(route.key)")
        }
        let closed = AccessPolicy(anonymous: [])
        #expect(decide(APIRoutes.prometheusMetrics, .none, policy: closed) == .unauthorized(invalidToken: false))
    }

    /// Refused credentials are refused even where none are needed (a client learns its token is bad), but for the
    /// routes that take credentials of their own.
    @Test func invalidCredentialsAre401EverywhereWithInvalidToken() {
        for route in APIRoutes.all {
            // A stale token must not keep its holder from logging in again.
            let expected: AccessPolicy.Decision = route.permission == .anyone ? .allow(nil) : .unauthorized(invalidToken: true)
            #expect(decide(route, .invalid) == expected, "\(route.key)")
        }
    }

    @Test func theUnixSocketActsAsTheAdminUnlessItAsksForTokens() {
        for route in APIRoutes.all {
            #expect(decide(route, .none, transport: .unix, host: nil) == .allow(.unixSocket), "\(route.key)")
        }
        let tokens = AccessPolicy(anonymous: AnonymousRoute.defaults, unixSocketTrusted: false)
        #expect(decide(APIRoutes.orchestrationConfig, .none, transport: .unix, policy: tokens) == .unauthorized(invalidToken: false))
        let viewer = Identity(subject: "v", kind: .apiKey, role: .metricsViewer)
        #expect(decide(APIRoutes.orchestrationConfig, .valid(viewer), transport: .unix) == .forbidden(.orchestrationAdmin))
    }

    /// A page the operator opens cannot reach the daemon through DNS rebinding: its `Host` is the attacker's name.
    @Test func aTCPRequestForAnotherHostIs421WhateverItCarries() {
        let admin = Identity(subject: "a", kind: .user, role: .orchestrationAdmin)
        for host in ["evil.example", "", nil] as [String?] {
            #expect(decide(APIRoutes.orchestrationHealth, .none, host: host) == .misdirected)
            #expect(decide(APIRoutes.orchestrationConfig, .valid(admin), host: host) == .misdirected)
        }
        // The Unix socket has no host to check.
        #expect(decide(APIRoutes.orchestrationHealth, .none, transport: .unix, host: "evil.example") == .allow(.unixSocket))
    }

    @Test func pathsNoRouteServesNeedCredentialsButNoPermission() {
        let viewer = Identity(subject: "v", kind: .apiKey, role: .contentManager)
        let decision = { (credentials: AccessPolicy.Credentials) in
            self.policy.decide(
                method: .get, path: "/api/v1/nothing", route: nil, transport: .tcp, host: "localhost:9464", credentials: credentials)
        }
        #expect(decision(.none) == .unauthorized(invalidToken: false))
        #expect(decision(.valid(viewer)) == .allow(viewer))
    }

    @Test func anonymousRoutesMatchTheirMethodAndLiteralPath() {
        let health = AnonymousRoute(method: "GET", path: "/api/v1/orchestration/health")
        let open = AccessPolicy(anonymous: [health])
        let decide = { (method: HTTPRequest.Method, path: Substring) in
            open.decide(method: method, path: path, route: nil, transport: .tcp, host: "h", credentials: .none)
        }
        #expect(decide(.get, "/api/v1/orchestration/health") == .allow(nil))
        #expect(decide(.post, "/api/v1/orchestration/health") == .unauthorized(invalidToken: false))
        #expect(decide(.get, "/api/v1/orchestration/health/") == .unauthorized(invalidToken: false))
        #expect(decide(.get, "/api/v1/orchestration/healthz") == .unauthorized(invalidToken: false))
    }
}
