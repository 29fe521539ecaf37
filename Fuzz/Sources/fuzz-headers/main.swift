import FuzzSupport

@testable import DevSkyyCollect

/// One transfer whose header callback is fed the input's lines, as libcurl would after a fetch: it is never performed.
let transfer = try! CurlTransfer(FetchRequest(url: "http://127.0.0.1:9/fuzz", timeout: .seconds(1)))

/// Response-header parsing: the input's lines (CR LF kept, as libcurl gives them) go through the header callback's
/// line reader, then the headers it kept through `Retry-After`, the rate-limit headers and `Link`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    // A status line starts a new response: nothing of the previous input is kept.
    Array("HTTP/1.1 200 OK\r\n".utf8).withUnsafeBytes { transfer.header($0) }
    var start = 0
    while start < bytes.count {
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
        bytes[start..<end].withUnsafeBytes { transfer.header($0) }
        start = end
    }
    let now: Int64 = 1_700_000_000_000
    _ = ResponseHeaders.retryAfter(transfer.headers, now: now)
    _ = ResponseHeaders.rateLimit(transfer.headers, now: now)
    _ = ResponseHeaders.nextLink(transfer.headers, base: "https://api.example.com/v1/items?page=1")
    return 0
}

FuzzDriver.run(testOneInput)
