import DevSkyyCore
import Foundation
import NIOConcurrencyHelpers

/// OAuth 2.0 client-credentials tokens for one collector: fetched once, cached, refreshed shortly
/// before they expire and after the source answers 401.
public final class OAuth2TokenSource: Sendable {
    /// The longest a token is kept before it is fetched again, in ms, whatever lifetime its answer claims.
    static let longestRefresh: Int64 = 86_400_000

    private struct Token {
        var value: String
        var refreshAt: ContinuousClock.Instant?
    }

    private let settings: OAuth2Settings
    private let engine: CurlEngine
    private let timeout: Duration
    private let cached = NIOLockedValueBox<Token?>(nil)

    public init(settings: OAuth2Settings, engine: CurlEngine, timeout: Duration) {
        self.settings = settings
        self.engine = engine
        self.timeout = timeout
    }

    /// A valid access token, fetched when none is cached or the cached one is about to expire.
    public func token() async throws(CollectError) -> String {
        if let token = cached.withLockedValue({ $0 }), token.refreshAt.map({ ContinuousClock.now < $0 }) ?? true {
            return token.value
        }
        let fresh = try await fetch()
        cached.withLockedValue { $0 = fresh }
        return fresh.value
    }

    /// Forgets the cached token, after the source refused it.
    public func invalidate() {
        cached.withLockedValue { $0 = nil }
    }

    private func fetch() async throws(CollectError) -> Token {
        var form = ["grant_type=client_credentials"]
        form.append("client_id=\(PercentEncoding.queryValue(settings.clientID))")
        form.append("client_secret=\(PercentEncoding.queryValue(settings.clientSecret))")
        if !settings.scopes.isEmpty { form.append("scope=\(PercentEncoding.queryValue(settings.scopes.joined(separator: " ")))") }
        let request = FetchRequest(
            url: settings.tokenURL, method: "POST", body: Array(form.joined(separator: "&").utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"], timeout: timeout,
            maxBodyBytes: 1 << 20
        )
        let response: FetchResponse
        do {
            response = try await engine.fetch(request)
        } catch {
            throw CollectError(reason: "oauth2", message: "token endpoint: \(error.message)")
        }
        guard response.isSuccess else {
            throw CollectError(reason: "oauth2", message: "token endpoint answered HTTP \(response.status)")
        }
        guard let answer = try? JSONValue.parse(response.body), case .string(let value)? = answer["access_token"], !value.isEmpty
        else {
            throw CollectError(reason: "oauth2", message: "token endpoint answer has no access_token")
        }
        // Refresh at 90% of the lifetime, so a token never expires mid-request; a lifetime beyond a day
        // (`1e300`) is read as a day, and a negative one as already spent.
        let lifetime: Double? = if case .number(let seconds, _)? = answer["expires_in"] { seconds } else { nil }
        let refreshAt = lifetime.flatMap { Checked.milliseconds(seconds: $0 * 0.9, maximum: Self.longestRefresh) }
            .map { ContinuousClock.now + .milliseconds($0) }
        return Token(value: value, refreshAt: refreshAt)
    }
}
