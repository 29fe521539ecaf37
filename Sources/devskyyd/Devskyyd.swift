import ArgumentParser
import DevSkyyCore
import DevSkyyDaemon
import Foundation
import Logging

@main
struct Devskyyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devskyyd",
        abstract: "Collects partnership and social metrics into Redis and answers queries about them.",
        version: DevSkyyVersion.string
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String = ConfigLoader.defaultPath

    @Option(
        name: .long,
        help:
            "Read NAME=value lines for ${VAR} expansion from this file, as systemd reads /etc/default/devskyyd (the process's own environment wins)."
    )
    var envFile: String?

    @Flag(name: .long, help: "Validate the configuration, print every problem, and exit 0 (valid) or 1.")
    var checkConfig = false

    @Option(name: .long, help: "Fetch this collector once, print what each path yields and the keys it would write, and exit.")
    var test: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        MemoryTuning.apply(environment: environment)
        let loaded: DaemonConfig
        do {
            if let envFile {
                environment.merge(try EnvironmentFile.load(path: envFile)) { own, _ in own }
            }
            loaded = try ConfigLoader(environment: environment).load(path: config)
        } catch {
            for issue in error.issues { FileHandle.standardError.write(Data("\(issue)\n".utf8)) }
            throw ExitCode(1)
        }
        if checkConfig {
            print(
                "\(config): OK (\(loaded.partnerships.count) partnerships, \(loaded.collectors.count) collectors, \(loaded.thresholds.count) thresholds)"
            )
            return
        }
        if let name = test {
            guard let explanation = await TestRun.explain(name, config: loaded) else {
                FileHandle.standardError.write(Data("no collector named '\(name)' in \(config)\n".utf8))
                throw ExitCode(1)
            }
            print(explanation.render())
            if explanation.error != nil { throw ExitCode(1) }
            return
        }
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "devskyyd")
        do {
            try await Daemon(config: loaded, logger: logger).run()
        } catch {
            logger.critical("exiting: \(error)")
            throw ExitCode(1)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
