import DevSkyyCollect
import DevSkyyCore
import FuzzSupport

let everything = PrometheusTextExtractor(partnership: "fuzz", labels: ["source": "fuzz"])
let allowlisted = PrometheusTextExtractor(
    partnership: "fuzz", allowlist: PrometheusAllowlist(metrics: ["http_requests_total", "latency_seconds", "a:b"], labels: ["code"]))

/// The Prometheus text parser over arbitrary bytes, keeping every series and keeping an allowlist.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    _ = try? everything.extract(bytes, timestamp: 1_700_000_000_000)
    _ = try? allowlisted.extract(bytes, timestamp: 1_700_000_000_000)
    return 0
}

FuzzDriver.run(testOneInput)
