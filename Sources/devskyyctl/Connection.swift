import ArgumentParser
import DevSkyyCollect
import DevSkyyCore
import Foundation

/// Where and how to reach the daemon, and with which credential.
struct Connection: ParsableArguments {
    @Option(name: .long, help: "The daemon's Unix socket.")
    var socket: String = "/run/devskyy/devskyyd.sock"

    @Option(name: .long, help: "Reach the daemon over TCP instead, e.g. http://127.0.0.1:9464.")
    var url: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A bearer access token to send (else DEVSKYY_TOKEN, else the login kept by `devskyyctl login`).",
            discussion: "Other users can read a command line in ps: DEVSKYY_TOKEN or a login is safer."))
    var token: String?

    @Option(name: .customLong("api-key"), help: "An API key to send as X-API-Key (else DEVSKYY_API_KEY).")
    var apiKey: String?

    @Flag(name: .long, help: "Print the daemon's JSON as it is.")
    var json = false

    func validate() throws {
        if token != nil && apiKey != nil { throw ValidationError("give --token or --api-key, not both") }
        if token?.isEmpty == true || apiKey?.isEmpty == true { throw ValidationError("--token and --api-key cannot be empty") }
    }

    /// The daemon's address as logins are kept by: the URL, or the socket's absolute path.
    var address: String {
        if let url { return url.trimmingSuffix("/") }
        return "unix:" + URL(fileURLWithPath: socket).standardizedFileURL.path
    }

    /// The option that names this daemon, for the commands an error suggests.
    var addressOption: String {
        url.map { "--url \($0)" } ?? "--socket \(socket)"
    }

    /// GETs (or POSTs, PUTs) a path with the caller's credential and returns the body, or exits with a message.
    func get(
        _ path: String, method: String = "GET", body: [UInt8]? = nil, headers: [String: String] = [:], timeout: Duration = .seconds(5)
    ) throws -> Data {
        var session = try Session(connection: self, environment: .current)
        return try session.send(path, method: method, body: body, headers: headers, timeout: timeout)
    }

    /// Calls a route both sides declare (`Endpoints`): its path with `values` filled in, `body` encoded as JSON
    /// unless there is none. Returns the answer's bytes, for `--json`; `decode` reads them as the endpoint's type.
    func send<Body, Answer>(
        _ endpoint: Endpoint<Body, Answer>, _ values: [String: String] = [:], body: Body, timeout: Duration = .seconds(5)
    ) throws -> Data {
        let bytes = body is NoBody ? nil : Array(try JSONEncoder().encode(body))
        return try get(
            endpoint.path(values), method: endpoint.method.rawValue, body: bytes,
            headers: bytes == nil ? [:] : ["Content-Type": "application/json"], timeout: timeout)
    }

    /// The answer of `endpoint` as its shared type.
    func decode<Body, Answer>(_ endpoint: Endpoint<Body, Answer>, _ data: Data) throws -> Answer {
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw DaemonAnswer(
                "the daemon's answer to \(endpoint.method.rawValue) \(endpoint.path) is not what this devskyyctl reads: \(error)")
        }
    }

    /// One request as it is, with exactly these header fields; no credential is added.
    func fetch(
        _ path: String, method: String = "GET", body: [UInt8]? = nil, headers: [String: String] = [:], timeout: Duration = .seconds(5)
    ) throws -> FetchResponse {
        var request = FetchRequest(url: "http://localhost" + path, method: method, body: body, headers: headers, timeout: timeout)
        if let url {
            request.url = url.trimmingSuffix("/") + path
        } else {
            request.unixSocketPath = socket
        }
        switch fetchBlocking(request) {
        case .success(let response): return response
        case .failure(let error): throw DaemonAnswer(unreachable(error))
        }
    }

    /// A refused request in the operator's terms: the status, the path and the daemon's own message.
    func refusal(_ response: FetchResponse, for path: String) -> String {
        "the daemon answered HTTP \(response.status) for \(path)\(ErrorDetail.from(response.body))"
    }

    /// Why the daemon could not be reached, in the operator's terms: curl would say "localhost port 80" for a
    /// Unix socket that is not there.
    private func unreachable(_ error: FetchError) -> String {
        if let url { return "cannot reach devskyyd at \(url): \(error.message); is it running and listening there?" }
        let hint = "is devskyyd running? (give its socket with --socket PATH, or --url http://HOST:PORT for TCP)"
        guard FileManager.default.fileExists(atPath: socket) else { return "no daemon socket at \(socket): \(hint)" }
        if error.kind == .connect || error.kind == .transport {
            return
                "devskyyd does not answer on \(socket) (\(error.message.replacingOccurrences(of: "localhost port 80", with: "the socket"))): \(hint)"
        }
        return "devskyyd at \(socket): \(error.message)"
    }
}

/// A failure reported by or about the daemon: printed as `Error: …` with exit status 1, without the usage
/// text that ArgumentParser adds to a `ValidationError` (which is for mistakes on the command line).
struct DaemonAnswer: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
