import ArgumentParser
import DevSkyyCore

/// Benchmark drivers for the scripts in `bench/`; prints `name value unit` lines.
@main
struct DevskyyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devskyy-bench", abstract: "Benchmark drivers for bench/ scripts.", subcommands: [Store.self, OutboxAppend.self]
    )

    struct Store: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raw samples per second through the time-series writer.")

        @Option(help: "Redis URL.") var redis: String
        @Option(help: "Series written per round.") var series = 10_000
        @Option(help: "Samples per writer batch.") var batch = 5_000
        @Option(help: "Seconds to run.") var seconds = 10.0
        @Flag(inversion: .prefixedNo, help: "Keep the 1m/1h/1d rollups.") var rollups = true
        @Flag(help: "Feed the daemon's write loop as fast as it drains, instead of one awaited write per round.")
        var sustained = false
        @Option(help: "With --sustained: at most this many samples queued.") var backlog = 100_000
        @Option(help: "Name printed before the figures.") var name = "writer"

        func run() async throws {
            let bench = StoreBench(
                redisURL: redis, series: series, batch: batch, seconds: seconds, rollups: rollups, sustained: sustained,
                backlog: backlog, prefix: "bench-\(name)"
            )
            let result = try await bench.run()
            print("\(name)_samples_per_second \(Int(Double(result.samples) / result.seconds)) samples/s")
        }
    }

    struct OutboxAppend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outbox", abstract: "Batches per second appended to the disk outbox, as while Redis is down."
        )

        @Option(help: "Outbox folder (created; must not be in use).") var directory: String
        @Option(help: "Samples per batch.") var batch = 100
        @Option(help: "Seconds to run.") var seconds = 5.0
        @Option(help: "always, never, or an interval such as 1s.") var fsync = "1s"
        @Option(help: "Name printed before the figures.") var name = "outbox"

        func run() async throws {
            guard let policy = OutboxSettings.FsyncPolicy.parse(fsync) else { throw ValidationError("bad --fsync '\(fsync)'") }
            let result = try OutboxBench(directory: directory, batch: batch, seconds: seconds, fsync: policy).run()
            print("\(name)_appends_per_second \(Int(Double(result.batches) / result.seconds)) batches/s")
            print("\(name)_samples_per_second \(Int(Double(result.samples) / result.seconds)) samples/s")
        }
    }
}
