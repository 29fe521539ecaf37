import DevSkyyCore
import DevSkyyDaemon
import FuzzSupport

let loader = ConfigLoader(environment: ["TECH_TOKEN": "secret", "DEVSKYY_JWT_SECRET": "0123456789abcdef0123456789abcdef"])

/// The configuration decoder, YAML text in: a `DaemonConfig` or `file:line: message` issues, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    if let config = try? loader.load(yaml: text, file: "fuzz.yaml") {
        // What --check-config and the config route print of it.
        _ = config.redacted()
    }
    return 0
}

FuzzDriver.run(testOneInput)
