import DevSkyyCore
import FuzzSupport

@testable import DevSkyyServer

/// The token endpoint's request readers: the input's first line is an `Authorization` field (empty for none), the rest
/// a form body. It is read as a client-credentials request, and the granted scope checked against every role; each
/// part also goes through the form parser and the Basic reader alone. Every input is a value or an error, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let field = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = Array(bytes[min(newline + 1, bytes.count)...])
    _ = try? FormBody(parsing: body)
    _ = try? BasicCredentials.parse(authorization: field)
    _ = FormBody.decode(body[...])
    if let request = try? ClientCredentialsRequest.parse(body: body, authorization: field.isEmpty ? nil : field) {
        for role in Role.allCases { _ = try? request.grantedScope(for: role) }
    }
    return 0
}

FuzzDriver.run(testOneInput)
