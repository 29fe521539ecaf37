import Foundation
import NIOConcurrencyHelpers

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port, with clustering
/// off, a route to a receiver that sends nothing and its storage in its own folder; stop it with `stop()`.
public final class AlertmanagerServer: Sendable {
    public let port: Int
    public let folder: TemporaryFolder
    /// The running server; nil once stopped.
    private let process = NIOLockedValueBox<Process?>(nil)

    static let config = """
        route:
          receiver: discard
        receivers:
          - name: discard
        """

    public init() async throws {
        port = FreePort.allocate()
        folder = TemporaryFolder("alertmanager")
        folder.write("alertmanager.yml", Self.config)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(folder.file("alertmanager.yml"))", "--storage.path=\(folder.file("data"))",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn",
        ]
        folder.write("alertmanager.log", "")
        let log = FileHandle(forWritingAtPath: folder.file("alertmanager.log")) ?? FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process.withLockedValue { $0 = process }
        guard await eventually(timeout: .seconds(20), { await Self.get("http://127.0.0.1:\(port)/-/ready")?.status == 200 }) else {
            stop()
            throw TestSupportError("alertmanager did not become ready on port \(port)")
        }
    }

    /// The base URL, as `alerts.alertmanager.url` takes it.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// `GET /api/v2/alerts?...`: the alerts Alertmanager holds, decoded from JSON (an array of objects).
    public func alerts(query: String = "") async throws -> [[String: Any]] {
        let answer = await Self.get("\(url)/api/v2/alerts\(query.isEmpty ? "" : "?" + query)")
        guard let answer, answer.status == 200 else { throw TestSupportError("GET /api/v2/alerts failed") }
        return (try JSONSerialization.jsonObject(with: answer.body) as? [[String: Any]]) ?? []
    }

    public func stop() {
        process.withLockedValue {
            $0?.killAndReap()
            $0 = nil
        }
        folder.remove()
    }

    static var binary: String {
        ["/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "prometheus-alertmanager"
    }

    /// One GET, nil when nothing answers.
    static func get(_ url: String) async -> (status: Int, body: Data)? {
        guard let url = URL(string: url) else { return nil }
        return await withCheckedContinuation { continuation in
            let task = URLSession.shared.dataTask(with: URLRequest(url: url, timeoutInterval: 2)) { data, response, _ in
                guard let response = response as? HTTPURLResponse else { return continuation.resume(returning: nil) }
                continuation.resume(returning: (response.statusCode, data ?? Data()))
            }
            task.resume()
        }
    }
}
