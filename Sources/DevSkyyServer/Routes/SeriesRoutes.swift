import DevSkyyCore
import DevSkyyStore
import Hummingbird

/// History from Redis: `GET /api/v1/series` lists series, `GET /api/v1/query_range` reads a range.
///
/// Both answer `{"status":"success","data":…}`, or throw an `APIError` (`{"status":"error","error":{…}}`): 400
/// `invalid_parameter` naming the parameter, 503 while Redis is unreachable or without a reader. Parameters are
/// checked first: a bad request is a 400 whatever Redis is doing.
enum SeriesRoutes {
    static func add(to router: some RouterMethods<APIRequestContext>, reader: TimeSeriesReader?) {
        router.on(APIRoutes.seriesList) { request, _ -> Response in
            let matcher = try parse { () throws(QueryError) in try SeriesMatcher.listing(parameters: parameters(request)) }
            let series = try await read(reader) { try await $0.series(matching: matcher) }
            return json(.ok, ["status": "success", "data": series.map(describe)])
        }
        router.on(APIRoutes.queryRange) { request, _ -> Response in
            let query = try parse { () throws(QueryError) in try RangeQuery(parameters: parameters(request)) }
            return .json(try await read(reader) { try await $0.cachedRange(query, now: Timestamp.now(), encode: rangeBody).body })
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

    /// Runs a parameter check, turning its error into a 400 naming the parameter.
    static func parse<T>(_ check: () throws(QueryError) -> T) throws(APIError) -> T {
        do {
            return try check()
        } catch {
            throw .invalidParameter(error)
        }
    }

    /// Reads history; without a reader, 503.
    private static func read<T>(_ reader: TimeSeriesReader?, _ body: (TimeSeriesReader) async throws -> T) async throws(APIError) -> T {
        guard let reader else { throw .unavailable("history is unavailable: this server has no Redis reader") }
        do {
            return try await body(reader)
        } catch let error as QueryError {
            // The plan checks the series count against the limits once Redis has listed them.
            throw .invalidParameter(error)
        } catch {
            throw .redis(error, subject: "history")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        .json(JSONText.render(object), status: status)
    }
}
