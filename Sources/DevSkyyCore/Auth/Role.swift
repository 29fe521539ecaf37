/// The four roles of seed 001, each a set of permissions, and the names seed 000 uses for them.
public enum Role: String, CaseIterable, Sendable, Hashable {
    /// Everything.
    case orchestrationAdmin = "orchestration_admin"
    /// Reads orchestration; reads and writes partnerships, deliverables and analytics.
    case partnershipManager = "partnership_manager"
    /// Reads health, metrics, series, history, events and reports.
    case metricsViewer = "metrics_viewer"
    /// Reads and writes content and influencers; reads health.
    case contentManager = "content_manager"
    /// Seed 000's `orchestration_manager`: a partnership manager who also drives the decision engine. Not one of
    /// the four names a configuration lists first, but a role of its own since its permissions differ.
    case orchestrationManager = "orchestration_manager"

    /// Seed 000's names for the same roles.
    public static let aliases: [String: Role] = [
        "admin": .orchestrationAdmin, "system_admin": .orchestrationAdmin,
    ]

    /// A role named in the configuration or a token: one of the raw values or an alias; nil for anything else.
    public init?(named name: String) {
        if let role = Role(rawValue: name) {
            self = role
        } else if let role = Self.aliases[name] {
            self = role
        } else {
            return nil
        }
    }

    /// Every accepted name, for error messages.
    public static var acceptedNames: [String] { allCases.map(\.rawValue) + aliases.keys.sorted() }

    /// Made once: the access layer asks on every request, the fast path's included, where building the sets each
    /// time took 3.6% of a request's CPU with a token (perf on bench/query).
    public var permissions: Set<Permission> { Self.permissionTable[self] ?? Self.everyone }

    private static let permissionTable: [Role: Set<Permission>] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, everyone.union($0.ownPermissions)) })

    /// What every role holds.
    static let everyone: Set<Permission> = [.anyone, .session, .docsRead, .healthRead]

    private var ownPermissions: Set<Permission> {
        switch self {
        case .orchestrationAdmin:
            return Set(Permission.allCases)
        case .partnershipManager:
            return [
                .docsRead, .healthRead, .metricsRead, .orchestrationRead, .partnershipsRead, .partnershipsWrite, .analyticsRead,
                .analyticsWrite,
            ]
        case .orchestrationManager:
            return Role.partnershipManager.ownPermissions.union([.decisionsRead, .decisionsWrite])
        case .metricsViewer:
            return [.docsRead, .healthRead, .metricsRead, .historyRead, .eventsRead, .reportsRead]
        case .contentManager:
            return [.docsRead, .healthRead, .contentRead, .contentWrite, .influencersRead, .influencersWrite]
        }
    }

    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }
}
