import DevSkyyCore
import FuzzSupport
import HummingbirdCore

@testable import DevSkyyServer

let now: Int64 = 1_700_000_000_000
let series = [
    SeriesName(parsing: "technical.system_uptime"), SeriesName(parsing: "brand.followers{platform=instagram}"),
    SeriesName(parsing: "a.b{x=1,y=}"),
]

/// The query-parameter readers: the input is a URL's query, split into parameters as the routes do, then read as a
/// range query (and planned), a series listing (and matched), and the events' `since` and `limit`. Each value is
/// also read alone as a time. Every input is a value or a `QueryError` (a 400), never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let query = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    let parameters = URI("/api/v1/query_range?" + query).queryParameters.map { (name: String($0.key), value: String($0.value)) }
    if let range = try? RangeQuery(parameters: parameters) {
        _ = range.normalized
        _ = try? RangePlan(range, now: now, retention: RetentionSettings(), rawPoints: parameters.count * 1_000)
    }
    if let matcher = try? SeriesMatcher.listing(parameters: parameters) {
        _ = matcher.description
        for name in series { _ = matcher.matches(name) }
    }
    for (_, value) in parameters {
        _ = QueryTime.parse(value)?.resolve(now: now)
        _ = RFC3339.milliseconds(value)
        _ = try? EventRoutes.parseSince(value, parameter: "since", now: now)
        _ = try? EventRoutes.parseLimit(value)
    }
    return 0
}

FuzzDriver.run(testOneInput)
