import CFuzzer
import Glibc

/// Runs libFuzzer over one target's test function.
///
/// SwiftPM gives every executable a `main` of its own (it renames the entry point so tests can link the target), which
/// wins over libFuzzer's: so each target's top-level code calls the driver itself, with the process's arguments.
public enum FuzzDriver {
    /// The function libFuzzer calls with each input; it returns 0 (-1 keeps the input out of the corpus).
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func run(_ testOneInput: TestOneInput) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }

    /// The input as an array: the parsers take `[UInt8]`.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}
