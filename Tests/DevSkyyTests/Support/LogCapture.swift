import Logging
import NIOConcurrencyHelpers

/// Keeps every log line with its level and metadata, to check what an operator would read.
final class LogCapture: Sendable {
    fileprivate struct Entry {
        var level: Logger.Level
        var message: String
        var metadata: String
    }

    private let entries = NIOLockedValueBox<[Entry]>([])

    /// Every line as `level message [key=value, …]`.
    var all: [String] { entries.withLockedValue { $0.map { "\($0.level) \($0.message) \($0.metadata)" } } }
    /// The messages logged at warning level.
    var warnings: [String] { entries.withLockedValue { $0.filter { $0.level == .warning }.map(\.message) } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func keep(_ entry: Entry) { entries.withLockedValue { $0.append(entry) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
            capture.keep(Entry(level: event.level, message: event.message.description, metadata: text))
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
    }
}
