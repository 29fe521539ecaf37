import DevSkyyCore
import Testing

@Suite struct RoleTests {
    @Test func seedZeroNamesAreAliasesOfTheAdminRole() {
        #expect(Role(named: "admin") == .orchestrationAdmin)
        #expect(Role(named: "system_admin") == .orchestrationAdmin)
        #expect(Role(named: "orchestration_manager") == .orchestrationManager)
        #expect(Role(named: "Admin") == nil)
        #expect(Role(named: "") == nil)
    }

    @Test func theAdminHoldsEveryPermissionAndNoOtherRoleDoes() {
        #expect(Role.orchestrationAdmin.permissions == Set(Permission.allCases))
        for role in Role.allCases where role != .orchestrationAdmin {
            #expect(!role.allows(.orchestrationAdmin), "\(role)")
        }
    }

    @Test func theOrchestrationManagerIsAPartnershipManagerWhoDecides() {
        let extra = Role.orchestrationManager.permissions.subtracting(Role.partnershipManager.permissions)
        #expect(extra == [.decisionsRead, .decisionsWrite])
    }

    @Test(arguments: [
        (Role.metricsViewer, Permission.historyRead, true), (.metricsViewer, .partnershipsWrite, false),
        (.metricsViewer, .contentRead, false), (.contentManager, .influencersWrite, true), (.contentManager, .healthRead, true),
        (.contentManager, .metricsRead, false), (.partnershipManager, .analyticsWrite, true), (.partnershipManager, .eventsRead, false),
        (.partnershipManager, .decisionsWrite, false),
    ])
    func rolesHoldWhatSeedOneGivesThem(role: Role, permission: Permission, allowed: Bool) {
        #expect(role.allows(permission) == allowed)
    }
}
