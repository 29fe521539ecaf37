import ArgumentParser
import DevSkyyCore

/// Benchmark drivers for the scripts in `bench/`; prints `name value unit` lines.
@main
struct DevskyyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devskyy-bench", abstract: "Benchmark drivers for bench/ scripts.", subcommands: [Store.self]
    )

    struct Store: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raw samples per second through the time-series writer.")

        @Option(help: "Redis URL.") var redis: String
        @Option(help: "Series written per round.") var series = 10_000
        @Option(help: "Samples per writer batch.") var batch = 5_000
        @Option(help: "Seconds to run.") var seconds = 10.0
        @Flag(inversion: .prefixedNo, help: "Keep the 1m/1h/1d rollups.") var rollups = true
        @Option(help: "Name printed before the figures.") var name = "writer"

        func run() async throws {
            let bench = StoreBench(
                redisURL: redis, series: series, batch: batch, seconds: seconds, rollups: rollups, prefix: "bench-\(name)"
            )
            let result = try await bench.run()
            print("\(name)_samples_per_second \(Int(Double(result.samples) / result.seconds)) samples/s")
        }
    }
}
