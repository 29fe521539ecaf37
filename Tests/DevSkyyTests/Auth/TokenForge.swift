import Crypto
import Foundation
import Synchronization

@testable import DevSkyyAuth

/// A clock tests move by hand: unix seconds.
final class TestClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64 = 1_800_000_000) { seconds = Mutex(start) }

    var now: @Sendable () -> Int64 { { self.seconds.withLock { $0 } } }

    func advance(_ delta: Int64) { seconds.withLock { $0 += delta } }
}

/// Tokens made by hand, independently of jwt-kit, with whatever header, claims and signing the test needs.
enum TokenForge {
    static let secret = Array("0123456789abcdef0123456789abcdef-test".utf8)
    static let issuer = "https://devskyy.test"
    static let audience = "devskyy-api"

    enum Signing {
        case hs256(key: [UInt8])
        case hs512(key: [UInt8])
        /// An empty signature, as `alg: none` sends.
        case none
    }

    static func settings(secret: [UInt8] = secret, accessTTL: Duration = .seconds(900)) -> TokenSettings {
        TokenSettings(secret: secret, issuer: issuer, audience: audience, accessTTL: accessTTL, refreshTTL: .seconds(7 * 86_400))
    }

    /// The claims of a good access token at `now`.
    static func accessClaims(now: Int64, role: String = "metrics_viewer") -> [String: Any] {
        [
            "iss": issuer, "aud": audience, "sub": "alice", "exp": now + 900, "iat": now, "nbf": now,
            "jti": "AAAAAAAAAAAAAAAAAAAAAA", "role": role,
        ]
    }

    static func make(header: [String: Any], claims: [String: Any], signing: Signing = .hs256(key: secret)) -> String {
        make(header: json(header), payload: json(claims), signing: signing)
    }

    static func make(header: String, payload: String, signing: Signing = .hs256(key: secret)) -> String {
        let input = encode(Array(header.utf8)) + "." + encode(Array(payload.utf8))
        let signature: [UInt8]
        switch signing {
        case .hs256(let key):
            signature = Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: key)))
        case .hs512(let key):
            signature = Array(HMAC<SHA512>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: key)))
        case .none:
            signature = []
        }
        return input + "." + encode(signature)
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A JSON number as JSONSerialization hands it back (Int, Double or NSNumber).
    static func seconds(_ value: Any?) -> Int64? {
        switch value {
        case let int as Int: Int64(int)
        case let number as NSNumber: number.int64Value
        default: nil
        }
    }

    static func encode(_ bytes: [UInt8]) -> String { Base64URL.encode(bytes) }

    /// The parts of a token, decoded.
    static func parts(_ token: String) -> (header: [String: Any], claims: [String: Any]) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        func object(_ part: Substring) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(Base64URL.decode(part) ?? [])) as? [String: Any]) ?? [:]
        }
        return (object(parts[0]), object(parts[1]))
    }
}
