import DevSkyyCollect
import DevSkyyCore
import Foundation

/// One command's requests to the daemon with its credential. A kept login is refreshed before a request when its
/// access token has expired, and once when the daemon refuses it (a restart with other settings, a clock that
/// differs); the new pair replaces the old in the file.
struct Session {
    let connection: Connection
    private(set) var credential: Credential
    private let now: () -> Int64

    init(connection: Connection, environment: ClientEnvironment) throws {
        self.connection = connection
        credential = try Credential.resolve(connection, environment: environment)
        now = { Checked.int64(Date().timeIntervalSince1970) ?? 0 }
    }

    /// The body of a successful answer, or a `DaemonAnswer` that says what was refused and what to do.
    mutating func send(
        _ path: String, method: String = "GET", body: [UInt8]? = nil, headers: [String: String] = [:], timeout: Duration = .seconds(5)
    ) throws -> Data {
        if case .login(let login, let store) = credential, login.accessExpired(now: now()) {
            credential = .login(try refreshed(login, store: store), store: store)
        }
        let connection = connection
        let request = { (credential: Credential) in
            try connection.fetch(path, method: method, body: body, headers: headers.merging(credential.headers) { $1 }, timeout: timeout)
        }
        var response = try request(credential)
        if response.status == 401, case .login(let login, let store) = credential {
            credential = .login(try refreshed(login, store: store), store: store)
            response = try request(credential)
        }
        guard response.isSuccess else { throw DaemonAnswer(refusal(response, for: path)) }
        return Data(response.body)
    }

    /// The daemon's refusal, with what the caller can do about a 401.
    private func refusal(_ response: FetchResponse, for path: String) -> String {
        let text = connection.refusal(response, for: path)
        guard response.status == 401 else { return text }
        guard let origin = credential.origin else {
            return text
                + "; log in with `devskyyctl login \(connection.addressOption)`, or give --token or --api-key "
                + "(or set DEVSKYY_TOKEN or DEVSKYY_API_KEY)"
        }
        return text + " (the credential from \(origin) was refused)"
    }

    /// The login with a fresh pair: another devskyyctl's, when it refreshed while this one waited for the lock (the
    /// used refresh token would now count as stolen and end the login), else the daemon's answer to a refresh.
    private func refreshed(_ used: StoredLogin, store: TokenStore) throws -> StoredLogin {
        let address = connection.address
        return try store.withLock(address) {
            if let current = try store.load(address), current.accessToken != used.accessToken { return current }
            guard !used.refreshExpired(now: now()) else {
                try store.delete(address)
                throw LoginEnded(connection: connection)
            }
            let request = try JSONEncoder().encode(RefreshRequest(refreshToken: used.refreshToken))
            let endpoint = Endpoints.refresh
            let response = try connection.fetch(
                endpoint.path, method: endpoint.method.rawValue, body: Array(request), headers: ["Content-Type": "application/json"])
            if response.status == 401 {
                try store.delete(address)
                throw LoginEnded(connection: connection)
            }
            guard response.isSuccess else { throw DaemonAnswer(connection.refusal(response, for: endpoint.path)) }
            let login = StoredLogin(try TokenAnswer.decoded(from: response.body), daemon: address, username: used.username, now: now())
            try store.save(login)
            return login
        }
    }
}

/// The kept login can no longer be refreshed (expired, logged out, revoked, or the daemon's secret changed); its
/// file is deleted.
struct LoginEnded: Error, CustomStringConvertible {
    let connection: Connection

    var description: String {
        "the login kept for \(connection.address) has ended (it expired, was logged out or revoked, or the daemon's "
            + "jwt_secret changed): log in again with `devskyyctl login \(connection.addressOption)`"
    }
}
