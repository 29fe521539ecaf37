import Foundation
import NIOConcurrencyHelpers

/// A real redis-server on a free loopback port, in its own folder; stop it with `stop()`.
public final class RedisServer: Sendable {
    public let port: Int
    public let folder: TemporaryFolder
    /// With AOF on (fsync on every write) a restarted server comes back with everything it acknowledged.
    public let appendOnly: Bool
    /// The running server; nil once stopped.
    private let process = NIOLockedValueBox<Process?>(nil)

    public init(appendOnly: Bool = false) async throws {
        port = FreePort.allocate()
        folder = TemporaryFolder("redis")
        self.appendOnly = appendOnly
        try await start()
    }

    public var url: String { "redis://127.0.0.1:\(port)/0" }
    /// The server also listens on this Unix socket.
    public var socketPath: String { folder.file("redis.sock") }

    /// Starts (or restarts, on the same port and data folder) the server and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments =
            [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", folder.path,
                "--save", "", "--daemonize", "no", "--logfile", folder.file("redis.log"),
                "--unixsocket", socketPath, "--unixsocketperm", "700",
            ] + (appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"])
        try process.run()
        self.process.withLockedValue { $0 = process }
        guard await eventually({ FreePort.isListening(port) && FileManager.default.fileExists(atPath: socketPath) }) else {
            kill()
            throw TestSupportError("redis-server did not start on port \(port) and \(socketPath)")
        }
    }

    /// Stops the server (SIGKILL: the test wants it gone now) and waits for it to exit.
    public func kill() {
        process.withLockedValue {
            $0?.killAndReap()
            $0 = nil
        }
    }

    public func stop() {
        kill()
        folder.remove()
    }

    static var binary: String {
        ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "redis-server"
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Process {
    /// SIGKILL, then wait (bounded) until Foundation has seen the exit. Polls rather than
    /// `waitUntilExit`, which spins a CPU off the main thread.
    public func killAndReap(timeout: Duration = .seconds(10)) {
        guard isRunning else { return }
        kill(processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
    }
}
