import FuzzSupport

@testable import DevSkyyServer

/// The deliverable update body (the one route that reads a request body): a `DeliverableUpdate` or an `APIError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? DeliverableUpdate.parse(FuzzDriver.bytes(data, size))
    return 0
}

FuzzDriver.run(testOneInput)
