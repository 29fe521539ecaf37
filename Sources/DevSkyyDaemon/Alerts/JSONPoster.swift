import DevSkyyCollect
import DevSkyyCore
import Logging
import ServiceLifecycle

/// POSTs a JSON body through the curl engine, retrying with doubling pauses on transport errors and 5xx
/// (and 429) answers; the notifiers' one way out. Logs name the receiver by scheme and host only: header values
/// and URL paths may hold secrets.
struct JSONPoster: Sendable {
    let name: String
    let url: String
    let headers: [String: String]
    let timeout: Duration
    let retries: Int
    /// The pause before the first retry; each later one doubles it.
    let backoff: Duration
    let engine: CurlEngine
    let logger: Logger
    let counters = NotifierCounters()

    enum Outcome: Equatable {
        case sent
        case retryable(String)
        case rejected(String)
    }

    /// Sends the body; true once the receiver answered 2xx.
    func post(_ body: [UInt8], alerts: Int) async -> Bool {
        var requestHeaders = headers
        if !requestHeaders.keys.contains(where: { $0.lowercased() == "content-type" }) {
            requestHeaders["Content-Type"] = "application/json"
        }
        let request = FetchRequest(
            url: url, method: "POST", body: body, headers: requestHeaders, timeout: timeout, maxBodyBytes: 1 << 20
        )
        var pause = backoff
        for attempt in 0...retries {
            switch await once(request) {
            case .sent:
                counters.record(success: true)
                return true
            case .rejected(let problem):
                return failed(problem, attempts: attempt + 1, alerts: alerts)
            case .retryable(let problem) where attempt == retries || Task.isShuttingDownGracefully:
                return failed(problem, attempts: attempt + 1, alerts: alerts)
            case .retryable(let problem):
                logger.debug("\(name) failed, retrying: \(problem)", metadata: metadata(alerts))
                try? await Task.sleep(for: pause)
                pause *= 2
            }
        }
        return false
    }

    private func once(_ request: FetchRequest) async -> Outcome {
        do {
            let response = try await engine.fetch(request)
            if response.isSuccess { return .sent }
            let problem = "HTTP \(response.status)"
            return response.status >= 500 || response.status == 429 ? .retryable(problem) : .rejected(problem)
        } catch {
            return .retryable("\(error.kind.rawValue): \(error.message)")
        }
    }

    private func failed(_ problem: String, attempts: Int, alerts: Int) -> Bool {
        counters.record(success: false)
        logger.warning("\(name) failed after \(attempts) attempt(s): \(problem)", metadata: metadata(alerts))
        return false
    }

    private func metadata(_ alerts: Int) -> Logger.Metadata {
        ["notifier": "\(name)", "receiver": "\(URLRedaction.origin(url))", "alerts": "\(alerts)"]
    }
}
