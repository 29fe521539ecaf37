import DevSkyyCollect
import DevSkyyCore
import FuzzSupport

/// Paths every document is read with, besides the input's own: each kind of segment the path language has.
let fixedMetrics: [MetricSpec] = [
    MetricSpec(name: "uptime", path: "metrics.system_uptime", scale: 1_000),
    MetricSpec(name: "followers", path: "social.*.followers", keyLabels: ["platform"]),
    MetricSpec(name: "nested", path: "*.*", keyLabels: ["a", "b"]),
    MetricSpec(name: "indexed", path: "items[1].value", labelPaths: ["id": "id"]),
    MetricSpec(name: "root", path: "[0][1]"),
    MetricSpec(name: "filtered", path: #"posts[?rank=="1"].likes"#, labelPaths: ["post": "id", "kind": "type.name"]),
    MetricSpec(name: "flags", path: "posts[?active!=true].likes", scale: -1e308),
]

/// JSON path extraction over arbitrary documents. The input's first line is a path (its second, when present, a label
/// path); the rest is the document, read with that path and the fixed ones. Broken paths and documents are problems
/// in the result, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var lines = FuzzDriver.bytes(data, size).split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
    let path = String(decoding: lines.removeFirst(), as: UTF8.self)
    let labelPath = lines.count > 1 ? String(decoding: lines.removeFirst(), as: UTF8.self) : nil
    let document = Array(lines.first ?? [])
    _ = JSONPath.parse(path)
    let own = MetricSpec(
        name: "own", path: path, keyLabels: ["k1", "k2", "k3"], labelPaths: labelPath.map { ["label": $0] } ?? [:])
    let extractor = JSONExtractor(partnership: "fuzz", metrics: [own] + fixedMetrics, labels: ["source": "fuzz"])
    _ = try? extractor.extract(document, timestamp: 1_700_000_000_000)
    return 0
}

FuzzDriver.run(testOneInput)
