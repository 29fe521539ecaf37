import DevSkyyCore
import DevSkyyStore
import Hummingbird

/// Health events: `GET /api/v1/events` reads the stored stream, `GET /api/v1/events/stream` follows it live as
/// Server-Sent Events.
///
/// Errors are `APIError`s, as the series routes': 400 `invalid_parameter` naming the parameter (checked first),
/// 503 without an event log or hub, or while Redis is unreachable.
enum EventRoutes {
    static let limits = 1...1_000
    static let defaultLimit = 100

    static func add(to router: some RouterMethods<APIRequestContext>, log: EventLog?, hub: EventHub?, keepalive: Duration) {
        router.on(APIRoutes.eventList) { request, _ -> Response in
            let (since, limit) = try SeriesRoutes.parse { () throws(QueryError) in
                let query = try QueryParameters.byName(SeriesRoutes.parameters(request), known: ["since", "limit"]).single
                let since = try query["since"].map { text throws(QueryError) in try parseSince(text, parameter: "since") }
                return (since, try query["limit"].map { text throws(QueryError) in try parseLimit(text) } ?? defaultLimit)
            }
            guard let log else { throw APIError.unavailable("events are unavailable: this server has no event log") }
            let events: [HealthEvent]
            do {
                events = try await log.read(since: since, limit: limit)
            } catch {
                throw APIError.redis(error, subject: "event history")
            }
            return SeriesRoutes.json(.ok, ["status": "success", "data": ["events": events.map(\.jsonObject)] as [String: Any]])
        }
        router.on(APIRoutes.eventStream) { request, _ -> Response in
            let since = try SeriesRoutes.parse { () throws(QueryError) -> EventID? in
                let query = try QueryParameters.byName(SeriesRoutes.parameters(request), known: ["since"]).single
                // A reconnecting client's Last-Event-ID is newer than the since it first connected with.
                // `since` is checked even when the header wins: a bad parameter is an error either way.
                let asked = try query["since"].map { text throws(QueryError) in try parseSince(text, parameter: "since") }
                if let header = request.headers.first(where: { $0.name.canonicalName == "last-event-id" })?.value {
                    return try parseSince(header, parameter: "Last-Event-ID")
                }
                return asked
            }
            guard let hub else { throw APIError.unavailable("live events are unavailable: this server has no event hub") }
            let stream = EventStream(hub: hub, log: log, since: since, keepalive: keepalive)
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: stream.body)
        }
    }

    /// Events after a stream ID (`1700000000000-0`) or after a time (unix ms or s, RFC 3339, `-1h`): exclusive.
    static func parseSince(_ text: String, parameter: String, now: Int64 = Timestamp.now()) throws(QueryError) -> EventID {
        if let id = EventID(text) { return id }
        guard let time = QueryTime.parse(text) else {
            throw .invalid(
                parameter,
                "\(quoted(text)) is neither a stream ID (1700000000000-0) nor a time: use unix ms (1700000000000), "
                    + "RFC 3339 (2025-10-25T10:30:00Z) or now minus a duration (-1h)"
            )
        }
        // Stream IDs carry the event's time: every ID of that millisecond is at or before it.
        return EventID(milliseconds: max(0, time.resolve(now: now)), sequence: .max)
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }

    static func parseLimit(_ text: String) throws(QueryError) -> Int {
        guard let limit = Int(text), limits.contains(limit) else {
            throw .invalid(
                "limit", "must be a whole number from \(limits.lowerBound) to \(limits.upperBound), not \(quoted(text))")
        }
        return limit
    }
}
