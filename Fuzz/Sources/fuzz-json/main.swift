import DevSkyyCore
import FuzzSupport

/// The JSON parser over arbitrary bytes: every input is a value or a `JSONParseError`, never a trap or a stack overflow.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    if let value = try? JSONValue.parse(bytes) {
        // What error messages say about a value must not trap either (numbers are printed compactly).
        _ = value.kind
    }
    return 0
}

FuzzDriver.run(testOneInput)
