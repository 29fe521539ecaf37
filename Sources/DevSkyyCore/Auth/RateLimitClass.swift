/// The endpoint classes of the seeds' rate limits; every route belongs to one.
public enum RateLimitClass: String, CaseIterable, Sendable, Hashable {
    case metrics
    case decisions
    case content
    case reports
    case `default`
}
