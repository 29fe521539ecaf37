import DevSkyyCore
import Foundation
import NIOConcurrencyHelpers

/// Fetches a source over `http`, `https` or `file` (following pages, authenticating, revalidating
/// with `ETag`/`Last-Modified`) and extracts the configured metrics.
public final class HTTPCollector: Collector {
    /// What the collector remembers between runs.
    private struct Memory {
        var etag: String?
        var lastModified: String?
        var lastSamples: [Sample] = []
    }

    public let config: CollectorConfig
    private let engine: CurlEngine
    private let extractor: DocumentExtractor
    private let tokens: OAuth2TokenSource?
    private let memory = NIOLockedValueBox(Memory())

    public init(config: CollectorConfig, engine: CurlEngine) {
        self.config = config
        self.engine = engine
        self.extractor = DocumentExtractor(config)
        if case .oauth2(let settings) = config.auth {
            tokens = OAuth2TokenSource(settings: settings, engine: engine, timeout: config.timeout)
        } else {
            tokens = nil
        }
    }

    public var name: String { config.name }
    public var partnership: String { config.partnership }
    public var interval: Duration { config.interval }

    public func collect(timestamp: Int64) async throws(CollectError) -> CollectOutcome {
        // Revalidation applies to single-document sources; paged ones are read in full.
        let conditional = config.pagination == nil
        var url = config.url
        var samples: [Sample] = []
        var problems: [String] = []
        var pages = 0
        var rateLimit: RateLimit?
        var validators: (etag: String?, lastModified: String?) = (nil, nil)
        while true {
            let response = try await fetch(url, conditional: conditional && pages == 0, timestamp: timestamp)
            rateLimit = ResponseHeaders.rateLimit(response.headers, now: timestamp) ?? rateLimit
            if response.status == 304 { return notModified(timestamp: timestamp, rateLimit: rateLimit) }
            let page = try extractor.extract(response.body, timestamp: timestamp)
            samples += page.samples
            problems += page.problems
            pages += 1
            validators = (response.headers["etag"], response.headers["last-modified"])
            guard let pagination = config.pagination, pages < pagination.maxPages,
                let next = nextPage(pagination, response: response, url: url), next != url
            else { break }
            url = next
        }
        let (kept, dropped) = limitSeries(samples)
        memory.withLockedValue {
            $0.lastSamples = kept
            if conditional {
                $0.etag = validators.etag
                $0.lastModified = validators.lastModified
            }
        }
        var outcome = CollectOutcome(samples: kept, problems: problems, rateLimit: rateLimit)
        outcome.droppedSeries = dropped
        outcome.pages = pages
        return outcome
    }

    /// One request, with authentication; a 401 with OAuth 2.0 refreshes the token and retries once.
    private func fetch(_ url: String, conditional: Bool, timestamp: Int64) async throws(CollectError) -> FetchResponse {
        var response = try await send(url, conditional: conditional)
        if response.status == 401, let tokens {
            tokens.invalidate()
            response = try await send(url, conditional: conditional)
        }
        switch response.status {
        case 0, 200..<300, 304:
            return response
        case 429, 503:
            throw CollectError(
                reason: response.status == 429 ? "rate_limited" : "http_503",
                message: "HTTP status \(response.status)" + (response.headers["retry-after"].map { ", Retry-After \($0)" } ?? ""),
                retryAfter: ResponseHeaders.retryAfter(response.headers, now: timestamp),
                rateLimit: ResponseHeaders.rateLimit(response.headers, now: timestamp)
            )
        default:
            throw CollectError(
                reason: "http_\(response.status)", message: "HTTP status \(response.status)",
                rateLimit: ResponseHeaders.rateLimit(response.headers, now: timestamp)
            )
        }
    }

    private func send(_ url: String, conditional: Bool) async throws(CollectError) -> FetchResponse {
        var headers = config.headers
        switch config.auth {
        case .none, .oauth2: break
        case .bearer(let token): headers["Authorization"] = "Bearer \(token)"
        case .basic(let user, let password): headers["Authorization"] = "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"
        }
        if let tokens { headers["Authorization"] = "Bearer \(try await tokens.token())" }
        if conditional {
            let (etag, lastModified) = memory.withLockedValue { ($0.etag, $0.lastModified) }
            if let etag { headers["If-None-Match"] = etag }
            if let lastModified { headers["If-Modified-Since"] = lastModified }
        }
        let request = FetchRequest(
            url: url, method: config.method, body: config.body.map { Array($0.utf8) }, headers: headers, timeout: config.timeout,
            maxBodyBytes: config.maxBodyBytes, caFile: config.tls.caFile, skipTLSVerify: config.tls.skipVerify, proxy: config.proxy
        )
        do {
            return try await engine.fetch(request)
        } catch {
            throw CollectError(reason: error.kind.rawValue, message: error.message)
        }
    }

    private func notModified(timestamp: Int64, rateLimit: RateLimit?) -> CollectOutcome {
        let last = memory.withLockedValue { $0.lastSamples }
        var outcome = CollectOutcome(
            samples: last.map {
                Sample(partnership: $0.partnership, metric: $0.metric, labels: $0.labels, timestamp: timestamp, value: $0.value)
            },
            problems: [], rateLimit: rateLimit
        )
        outcome.notModified = true
        return outcome
    }

    private func nextPage(_ pagination: Pagination, response: FetchResponse, url: String) -> String? {
        switch pagination.next {
        case .linkHeader:
            // The collector's credentials go with every page: follow only links to the same origin.
            guard let next = ResponseHeaders.nextLink(response.headers, base: url), Self.sameOrigin(next, config.url) else { return nil }
            return next
        case .cursor(let path, let parameter):
            guard let cursor = CursorReader.value(at: path, in: response.body), !cursor.isEmpty,
                var components = URLComponents(string: config.url)
            else { return nil }
            var items = (components.queryItems ?? []).filter { $0.name != parameter }
            items.append(URLQueryItem(name: parameter, value: cursor))
            components.queryItems = items
            return components.url?.absoluteString
        }
    }

    static func sameOrigin(_ a: String, _ b: String) -> Bool {
        guard let x = URLComponents(string: a), let y = URLComponents(string: b) else { return false }
        return x.scheme?.lowercased() == y.scheme?.lowercased() && x.host?.lowercased() == y.host?.lowercased() && x.port == y.port
    }

    /// Keeps at most `max_series` series, those seen before first; the rest are dropped and counted.
    private func limitSeries(_ samples: [Sample]) -> (kept: [Sample], dropped: Int) {
        let distinct = Set(samples.map(\.series))
        guard distinct.count > config.maxSeries else { return (samples, 0) }
        // Series of the last run are kept first, so the same ones survive from run to run.
        let known = Set(memory.withLockedValue { $0.lastSamples }.map(\.series))
        let ordered = distinct.sorted { (known.contains($0) ? 0 : 1, $0) < (known.contains($1) ? 0 : 1, $1) }
        let allowed = Set(ordered.prefix(config.maxSeries))
        return (samples.filter { allowed.contains($0.series) }, distinct.count - allowed.count)
    }
}
