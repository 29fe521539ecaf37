import Foundation

/// The built `devskyyd` (or `devskyyctl`) binary run as a child process.
public final class DaemonProcess: Sendable {
    private let process = Process()
    // Files, not pipes: a chatty child must never block on a full pipe.
    private let outputFile: String
    private let errorFile: String
    private let inputFile: String?

    /// The folder holding the built executables, beside the test bundle.
    public static var binaries: String {
        if let custom = ProcessInfo.processInfo.environment["DEVSKYY_BIN_DIR"] { return custom }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }

    /// - Parameter user: run as this user and group id (through `setpriv`, which execs in place: the pid is the
    ///   child's); root ignores file modes, so a test of a folder it cannot write runs the daemon as another user.
    /// - Parameter input: the child's standard input, from a file (so not a terminal); else the test's own.
    public init(
        _ executable: String, arguments: [String], environment: [String: String] = [:], user: UInt32? = nil, input: String? = nil
    ) throws {
        // A bare name is one of ours, beside the tests; a full path runs as it is.
        let path = executable.hasPrefix("/") ? executable : "\(Self.binaries)/\(executable)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) is missing: run `swift build` before `swift test`")
        }
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = nil
        env["DEVSKYY_REDIS_URL"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let unique = UUID().uuidString
        let name = URL(fileURLWithPath: executable).lastPathComponent
        outputFile = "/tmp/devskyy-\(name)-\(unique).out"
        errorFile = "/tmp/devskyy-\(name)-\(unique).err"
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outputFile)
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        inputFile = input.map { _ in "/tmp/devskyy-\(name)-\(unique).in" }
        if let input, let inputFile {
            _ = FileManager.default.createFile(atPath: inputFile, contents: Data(input.utf8))
            process.standardInput = FileHandle(forReadingAtPath: inputFile)
        }
        try process.run()
    }

    /// What the process has written to standard error so far (its log).
    public var stderrSoFar: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    public var pid: Int32 { process.processIdentifier }

    public var isRunning: Bool { process.isRunning }

    /// A `/proc/PID/status` field in KiB (`VmHWM` is the peak resident memory), or nil once the process is gone.
    public func statusKiB(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix("\(field):") }
        return line?.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
    }

    /// Signals the process while it runs (never a reaped pid that may belong to another process by now).
    public func signal(_ signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// Waits for exit (SIGKILL after the timeout) and returns the status with everything printed.
    public func wait(timeout: Duration = .seconds(30)) async -> (status: Int32, stdout: String, stderr: String) {
        let exited = await eventually(timeout: timeout) { !process.isRunning }
        if !exited { process.killAndReap() }
        let out = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let err = stderrSoFar
        try? FileManager.default.removeItem(atPath: outputFile)
        try? FileManager.default.removeItem(atPath: errorFile)
        if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) }
        return (exited ? process.terminationStatus : -9, out, err)
    }

    /// Runs a command to completion.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil)
        async throws -> (status: Int32, stdout: String, stderr: String)
    {
        try await DaemonProcess(executable, arguments: arguments, environment: environment, input: input).wait()
    }
}
