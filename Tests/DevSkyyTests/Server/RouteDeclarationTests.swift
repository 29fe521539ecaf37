import DevSkyyCore
import DevSkyyServer
import Testing

/// The route declarations are the one source the router, the documentation and the permission table come from.
/// (`OpenAPITests.documentCoversEveryRouteAndNothingElse` holds the router to them: a route registered without a
/// declaration fails there.)
@Suite struct RouteDeclarationTests {
    @Test func eachRouteIsDeclaredOnceWithOnePermission() {
        let keys = APIRoutes.all.map(\.key)
        #expect(Set(keys).count == keys.count, "a route is declared twice")
        #expect(APIRoutes.permissions.count == keys.count)
        for route in APIRoutes.all {
            #expect(APIRoutes.permissions[route.key] == route.permission)
            #expect(route.path.hasPrefix("/"), "\(route.key)")
            #expect(!route.summary.isEmpty, "\(route.key)")
        }
        #expect(EndpointCatalog.all.map { "\($0.method) \($0.path)" } == keys)
    }

    /// What seed 001 and the issue reserve for the admin, and what Prometheus and load balancers read.
    @Test func theOperatorsRoutesNeedTheAdminAndTheProbesNeedOnlyReading() {
        #expect(APIRoutes.permissions["GET /api/v1/orchestration/config"] == .orchestrationAdmin)
        #expect(APIRoutes.permissions["POST /api/v1/collectors/{name}/test"] == .orchestrationAdmin)
        #expect(APIRoutes.permissions["PUT /api/v1/partnerships/{id}/deliverables/{deliverable_id}"] == .partnershipsWrite)
        #expect(APIRoutes.permissions["GET /metrics"] == .metricsRead)
        #expect(APIRoutes.permissions["GET /api/v1/orchestration/health"] == .healthRead)
        // Every role may read health, so a role's dashboard can always tell whether the daemon is up.
        for role in Role.allCases { #expect(role.allows(.healthRead), "\(role)") }
    }

    @Test func everyWriteNeedsAWritePermission() {
        for route in APIRoutes.all where route.method != .get && route.permission != .anyone && route.permission != .session {
            let permission = route.permission.rawValue
            #expect(permission.hasSuffix(":write") || permission.hasSuffix(":admin"), "\(route.key) needs only \(permission)")
        }
    }
}
