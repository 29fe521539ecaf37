import JWTKit

/// The payload of both kinds of token. Access tokens carry `role` (and `client_id` for OAuth clients), refresh tokens
/// carry `fam`; the header's `typ` says which kind it is and `TokenService` checks each claim the kind needs.
struct TokenClaims: JWTPayload, Equatable {
    var iss: String
    var aud: Audience
    var sub: String
    var exp: Double
    var iat: Double
    var nbf: Double
    var jti: String
    var role: String?
    var clientID: String?
    var fam: String?
    /// An access token's session (OpenID's `sid`): the refresh family of its login, so a logout can revoke it.
    var sid: String?

    enum CodingKeys: String, CodingKey {
        case iss, aud, sub, exp, iat, nbf, jti, role, fam, sid
        case clientID = "client_id"
    }

    /// Does nothing: jwt-kit calls it after the signature check, but the claim checks need the service's clock and
    /// settings, so `TokenService.verify` makes every one of them itself.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// RFC 7519 §4.1.3: `aud` is one string or an array of them.
struct Audience: Codable, Equatable, Sendable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }

    func contains(_ audience: String) -> Bool { values.contains(audience) }
}
