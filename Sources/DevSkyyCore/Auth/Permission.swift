/// What a route needs of its caller. Every route declares exactly one; a role is a set of them.
///
/// The raw values are what the OpenAPI document's `security` lists as scopes and what 403 answers name.
public enum Permission: String, CaseIterable, Sendable, Hashable, Comparable {
    /// Routes that check credentials of their own (login, token refresh, OAuth's token endpoint): open to anyone,
    /// with or without other credentials.
    case anyone = "anyone"
    /// What every identity may do with its own session: log out.
    case session = "auth:session"
    /// The OpenAPI document, `/docs` and the endpoint catalog: any identity may read what the API offers.
    case docsRead = "docs:read"
    /// `GET /api/v1/orchestration/health`.
    case healthRead = "health:read"
    /// Latest values: `/metrics` and `/api/v1/orchestration/metrics…`.
    case metricsRead = "metrics:read"
    /// History from Redis: `/api/v1/series`, `/api/v1/query_range`.
    case historyRead = "history:read"
    /// Stored and live health events.
    case eventsRead = "events:read"
    /// Reports (issue 15).
    case reportsRead = "reports:read"
    /// The orchestration view: status, partnership overview, readiness, the collectors' counters.
    case orchestrationRead = "orchestration:read"
    /// What only an operator may do: the effective configuration, the collectors' test fetch, reloads.
    case orchestrationAdmin = "orchestration:admin"
    case partnershipsRead = "partnerships:read"
    case partnershipsWrite = "partnerships:write"
    case analyticsRead = "analytics:read"
    case analyticsWrite = "analytics:write"
    case decisionsRead = "decisions:read"
    case decisionsWrite = "decisions:write"
    case contentRead = "content:read"
    case contentWrite = "content:write"
    case influencersRead = "influencers:read"
    case influencersWrite = "influencers:write"

    public static func < (a: Permission, b: Permission) -> Bool { a.rawValue < b.rawValue }
}
