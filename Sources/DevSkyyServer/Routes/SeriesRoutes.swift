import DevSkyyCore
import DevSkyyStore
import Hummingbird

/// History from Redis: `GET /api/v1/series` lists series, `GET /api/v1/query_range` reads a range.
///
/// Both answer `{"status":"success","data":…}` or `{"status":"error","errorType":…,"error":…}` (the
/// Prometheus HTTP API's envelope): 400 for bad parameters, 503 while Redis is unreachable.
enum SeriesRoutes {
    static func add(to router: Router<BasicRequestContext>, reader: TimeSeriesReader?) {
        router.get("api/v1/series") { request, _ -> Response in
            guard let reader else { return notConfigured }
            do {
                let matcher = try SeriesMatcher.listing(parameters: parameters(request))
                let series = try await reader.series(matching: matcher)
                return json(.ok, ["status": "success", "data": series.map(describe)])
            } catch {
                return failure(error)
            }
        }
        router.get("api/v1/query_range") { request, _ -> Response in
            guard let reader else { return notConfigured }
            do {
                let query = try RangeQuery(parameters: parameters(request))
                return .json(try await reader.cachedRange(query, now: Timestamp.now(), encode: rangeBody).body)
            } catch {
                return failure(error)
            }
        }
    }

    /// The body of a range answer; this is what the results cache keeps.
    static func rangeBody(_ result: RangeResult) -> [UInt8] {
        let plan = result.plan
        let series = result.series.map { entry -> [String: Any] in
            var object = describe(entry.series)
            object["points"] = entry.points.map { point -> [Any] in [Int(point.time), point.value] }
            return object
        }
        return JSONText.render([
            "status": "success",
            "data": [
                "resolution": plan.resolution.rawValue, "step_ms": Int(plan.step), "aggregation": plan.aggregation.rawValue,
                "from_ms": Int(plan.from), "to_ms": Int(plan.to), "series": series,
            ] as [String: Any],
        ])
    }

    private static func describe(_ series: SeriesName) -> [String: Any] {
        [
            "name": series.name, "partnership": series.partnership, "metric": series.metric,
            "labels": Dictionary(series.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
        ]
    }

    static func parameters(_ request: Request) -> [(name: String, value: String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    static func failure(_ error: any Error) -> Response {
        switch error {
        case let error as QueryError:
            return self.error(.badRequest, "bad_data", error.description)
        case let error as RedisError where error.isConnectionError:
            return unavailable
        default:
            // Redis's own error text may name keys: it stays out of the answer.
            return self.error(.internalServerError, "internal", "reading history from Redis failed")
        }
    }

    private static var unavailable: Response {
        error(.serviceUnavailable, "unavailable", "history is unavailable: Redis cannot be reached")
    }

    private static var notConfigured: Response {
        error(.serviceUnavailable, "unavailable", "history is unavailable: this server has no Redis reader")
    }

    static func error(_ status: HTTPResponse.Status, _ type: String, _ message: String) -> Response {
        json(status, ["status": "error", "errorType": type, "error": message])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        .json(JSONText.render(object), status: status)
    }
}
