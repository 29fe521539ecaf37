import DevSkyyCore
import JWTKit

extension TokenService {
    /// The identity an access token stands for, after every check of RFC 8725 and RFC 9068 §4.
    public func verifyAccess(_ token: String) async throws(TokenError) -> Identity {
        let claims = try await verified(token, kind: .access)
        guard claims.fam == nil else { throw .init(.type, "an access token with a refresh family") }
        guard let name = claims.role, let role = Role(rawValue: name) else { throw .init(.role, "no known role") }
        if let clientID = claims.clientID, clientID != claims.sub { throw .malformed("client_id differs from sub") }
        if let session = claims.sid, !RandomID.isWellFormed(session) { throw .malformed("sid is not an id of ours") }
        return Identity(
            subject: claims.sub, kind: claims.clientID == nil ? .user : .client, role: role, jti: claims.jti,
            expiresAt: Checked.int64(claims.exp), session: claims.sid)
    }

    /// The refresh token's subject, id and family, after the same checks as an access token's.
    public func verifyRefresh(_ token: String) async throws(TokenError) -> RefreshToken {
        let claims = try await verified(token, kind: .refresh)
        guard claims.role == nil, claims.clientID == nil, claims.sid == nil, let family = claims.fam else {
            throw .init(.type, "a refresh token without a family or with access claims")
        }
        guard RandomID.isWellFormed(family) else { throw .malformed("fam is not an id of ours") }
        return RefreshToken(subject: claims.sub, jti: claims.jti, family: family, expiresAt: Checked.int64(claims.exp) ?? 0)
    }

    /// The claims of a token of `kind` whose form, header, signature, issuer, audience, times, subject and id all check out.
    private func verified(_ token: String, kind: TokenKind) async throws(TokenError) -> TokenClaims {
        guard token.utf8.count <= Self.maximumTokenBytes else { throw .init(.oversized, "longer than \(Self.maximumTokenBytes) bytes") }
        try TokenHeader.check(token, kind: kind)
        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .init(.signature, "bad signature")
        } catch {
            // jwt-kit's messages quote what it failed to decode; only the kind of failure goes to the audit log.
            throw .malformed("the signature or payload cannot be decoded")
        }
        try check(claims)
        return claims
    }

    private func check(_ claims: TokenClaims) throws(TokenError) {
        guard claims.iss == settings.issuer else { throw .init(.issuer, "wrong issuer") }
        guard claims.aud.contains(settings.audience) else { throw .init(.audience, "not for this audience") }
        guard let expiresAt = Checked.int64(claims.exp), let notBefore = Checked.int64(claims.nbf),
            let issuedAt = Checked.int64(claims.iat)
        else {
            throw .malformed("exp, nbf or iat is not a number of seconds")
        }
        let now = now()
        guard now < expiresAt else { throw .init(.expired, "expired") }
        let latest = Checked.adding(now, Self.clockSkewLeeway)
        guard notBefore <= latest, issuedAt <= latest else { throw .init(.notYetValid, "not yet valid") }
        guard !claims.sub.isEmpty, claims.sub.utf8.count <= Self.maximumSubjectBytes else { throw .malformed("sub is empty or too long") }
        guard RandomID.isWellFormed(claims.jti) else { throw .malformed("jti is not an id of ours") }
    }
}

/// A verified refresh token: who it was issued to, its id and its family.
public struct RefreshToken: Sendable, Equatable {
    public let subject: String
    public let jti: String
    public let family: String
    /// Unix seconds.
    public let expiresAt: Int64
}
