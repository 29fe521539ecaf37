import DevSkyyCore
import Foundation

/// A login as `devskyyctl login` keeps it: the token pair, when each expires, and the daemon it is for.
struct StoredLogin: Codable, Equatable {
    /// The daemon's address (`Connection.address`): a file holds the login of one daemon.
    var daemon: String
    var username: String
    var role: String
    var accessToken: String
    var refreshToken: String
    /// Unix seconds.
    var accessExpiresAt: Int64
    var refreshExpiresAt: Int64

    /// Seconds before its expiry that an access token is already renewed: it must not expire on the way.
    static let renewalMargin: Int64 = 30

    init(_ answer: TokenAnswer, daemon: String, username: String, now: Int64) {
        self.daemon = daemon
        self.username = username
        role = answer.role
        accessToken = answer.accessToken
        refreshToken = answer.refreshToken
        // The lifetimes come from the daemon's answer: held at the bounds of Int64 rather than trapping.
        accessExpiresAt = Checked.adding(now, max(0, answer.expiresIn))
        refreshExpiresAt = Checked.adding(now, max(0, answer.refreshExpiresIn))
    }

    func accessExpired(now: Int64) -> Bool {
        now >= Checked.adding(accessExpiresAt, -Self.renewalMargin)
    }

    func refreshExpired(now: Int64) -> Bool {
        now >= refreshExpiresAt
    }

    enum CodingKeys: String, CodingKey {
        case daemon, username, role
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case accessExpiresAt = "access_expires_at"
        case refreshExpiresAt = "refresh_expires_at"
    }
}

extension TokenAnswer {
    /// The answer of a login or a refresh, checked: its tokens go into header fields of later requests.
    static func decoded(from body: [UInt8]) throws -> TokenAnswer {
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(body)) else {
            throw DaemonAnswer("the daemon's answer holds no token pair")
        }
        guard answer.tokenType.lowercased() == "bearer" else {
            throw DaemonAnswer("the daemon's answer holds a token that is not of type bearer")
        }
        let valid = { (token: String) in !token.isEmpty && token.utf8.allSatisfy { (0x21...0x7E).contains($0) } }
        guard valid(answer.accessToken), valid(answer.refreshToken) else {
            throw DaemonAnswer("the daemon's answer holds a token a header field cannot carry")
        }
        return answer
    }
}
