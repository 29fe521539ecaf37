import DevSkyyCore
import Testing

@testable import DevSkyyAuth

@Suite("Access and refresh tokens")
struct TokenServiceTests {
    let clock = TestClock()

    func service(_ settings: TokenSettings = TokenForge.settings()) async throws -> TokenService {
        try await TokenService(settings: settings, now: clock.now)
    }

    /// Expects `token` to be refused as an access token for the reason `code`, with nothing of the token in the error.
    func expectRefused(
        _ token: String, _ code: TokenError.Code, by service: TokenService, sourceLocation: SourceLocation = #_sourceLocation
    )
        async
    {
        do {
            let identity = try await service.verifyAccess(token)
            Issue.record("accepted as \(identity.subject)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect("\(error)" == "invalid_token", sourceLocation: sourceLocation)
            for part in token.split(separator: ".") where part.count > 8 {
                #expect(!error.reason.contains(part), sourceLocation: sourceLocation)
            }
        }
    }

    @Test func accessTokensRoundTripInRFC9068Form() async throws {
        let service = try await service()
        let issued = try await service.issueAccess(subject: "alice", role: .partnershipManager)
        let (header, claims) = TokenForge.parts(issued.token)
        #expect(header["alg"] as? String == "HS256" && header["typ"] as? String == "at+jwt" && header.count == 2)
        #expect(claims["iss"] as? String == TokenForge.issuer && claims["aud"] as? String == TokenForge.audience)
        #expect(claims["sub"] as? String == "alice" && claims["role"] as? String == "partnership_manager")
        #expect(TokenForge.seconds(claims["exp"]) == clock.now() + 900 && TokenForge.seconds(claims["iat"]) == clock.now())
        #expect(TokenForge.seconds(claims["nbf"]) == clock.now() && claims["client_id"] == nil && claims["fam"] == nil)
        // 128 bits of randomness: 22 base64url characters, and a new one each time.
        #expect((claims["jti"] as? String)?.count == 22 && claims["jti"] as? String == issued.jti)
        #expect(issued.expiresIn == 900 && issued.expiresAt == clock.now() + 900)
        #expect(try await service.issueAccess(subject: "alice", role: .partnershipManager).jti != issued.jti)

        let identity = try await service.verifyAccess(issued.token)
        #expect(
            identity == Identity(subject: "alice", kind: .user, role: .partnershipManager, jti: issued.jti, expiresAt: issued.expiresAt))
    }

    @Test func clientTokensCarryClientID() async throws {
        let service = try await service()
        let issued = try await service.issueAccess(subject: "grafana", role: .metricsViewer, clientID: "grafana")
        #expect(TokenForge.parts(issued.token).claims["client_id"] as? String == "grafana")
        let identity = try await service.verifyAccess(issued.token)
        #expect(identity.kind == .client && identity.subject == "grafana" && identity.role == .metricsViewer)
    }

    @Test func handMadeTokensOfOurFormAreAccepted() async throws {
        // The forge agrees with the service: the refusals below are about what each test changes, nothing else.
        let service = try await service()
        let token = TokenForge.make(header: ["alg": "HS256", "typ": "at+jwt"], claims: TokenForge.accessClaims(now: clock.now()))
        #expect(try await service.verifyAccess(token).subject == "alice")
        let mediaType = TokenForge.make(
            header: ["alg": "HS256", "typ": "application/AT+JWT"], claims: TokenForge.accessClaims(now: clock.now()))
        #expect(try await service.verifyAccess(mediaType).role == .metricsViewer)
    }

    @Test func aTamperedSignatureOrPayloadIsRefused() async throws {
        let service = try await service()
        let token = try await service.issueAccess(subject: "alice", role: .metricsViewer).token
        var signature = Array(token.split(separator: ".")[2].utf8)
        signature[5] = signature[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let parts = token.split(separator: ".")
        await expectRefused("\(parts[0]).\(parts[1]).\(String(decoding: signature, as: UTF8.self))", .signature, by: service)

        // The role raised to admin in the payload, the signature kept.
        var claims = TokenForge.parts(token).claims
        claims["role"] = "orchestration_admin"
        await expectRefused("\(parts[0]).\(TokenForge.encode(Array(TokenForge.json(claims).utf8))).\(parts[2])", .signature, by: service)

        // Signed with another secret.
        let other = TokenForge.make(
            header: ["alg": "HS256", "typ": "at+jwt"], claims: TokenForge.accessClaims(now: clock.now()),
            signing: .hs256(key: Array("another secret of thirty-two bytes!!".utf8)))
        await expectRefused(other, .signature, by: service)
    }

    @Test func algNoneIsRefused() async throws {
        let service = try await service()
        let claims = TokenForge.accessClaims(now: clock.now(), role: "orchestration_admin")
        for alg in ["none", "None", "NONE"] {
            await expectRefused(
                TokenForge.make(header: ["alg": alg, "typ": "at+jwt"], claims: claims, signing: .none), .algorithm, by: service)
        }
        // No alg at all, and `none` with a valid HS256 signature attached.
        await expectRefused(TokenForge.make(header: ["typ": "at+jwt"], claims: claims), .algorithm, by: service)
        await expectRefused(TokenForge.make(header: ["alg": "none", "typ": "at+jwt"], claims: claims), .algorithm, by: service)
    }

    @Test func algorithmConfusionIsRefused() async throws {
        // jwt-kit verifies with the key it holds whatever the header says; only our allow-list refuses these.
        let service = try await service()
        let claims = TokenForge.accessClaims(now: clock.now(), role: "orchestration_admin")
        for alg in ["RS256", "ES256", "PS256", "HS384", "HS512", "hs256", "EdDSA"] {
            await expectRefused(TokenForge.make(header: ["alg": alg, "typ": "at+jwt"], claims: claims), .algorithm, by: service)
        }
        // Really signed HS512 with our secret.
        await expectRefused(
            TokenForge.make(header: ["alg": "HS512", "typ": "at+jwt"], claims: claims, signing: .hs512(key: TokenForge.secret)), .algorithm,
            by: service)
    }

    @Test func keyHintsFromTheTokenAreRefused() async throws {
        let service = try await service()
        let claims = TokenForge.accessClaims(now: clock.now())
        for (member, value) in [
            ("kid", "other" as Any), ("jku", "https://evil.test/jwks.json"), ("x5u", "https://evil.test/cert.pem"),
            ("jwk", ["kty": "oct", "k": "AAAA"]), ("crit", ["exp"]),
        ] {
            let header: [String: Any] = ["alg": "HS256", "typ": "at+jwt", member: value]
            await expectRefused(TokenForge.make(header: header, claims: claims), .malformed, by: service)
        }
    }

    @Test func wrongIssuerOrAudienceIsRefused() async throws {
        let service = try await service()
        let header: [String: Any] = ["alg": "HS256", "typ": "at+jwt"]
        var claims = TokenForge.accessClaims(now: clock.now())
        claims["iss"] = "https://other.test"
        await expectRefused(TokenForge.make(header: header, claims: claims), .issuer, by: service)
        claims = TokenForge.accessClaims(now: clock.now())
        claims["aud"] = "other-api"
        await expectRefused(TokenForge.make(header: header, claims: claims), .audience, by: service)
        claims["aud"] = ["other-api", "third-api"]
        await expectRefused(TokenForge.make(header: header, claims: claims), .audience, by: service)
        claims["aud"] = ["other-api", TokenForge.audience]
        #expect(try await service.verifyAccess(TokenForge.make(header: header, claims: claims)).subject == "alice")
        claims["iss"] = nil
        await expectRefused(TokenForge.make(header: header, claims: claims), .malformed, by: service)
    }

    @Test func expiredTokensAreRefusedFromTheirExpiryOn() async throws {
        let service = try await service()
        let issued = try await service.issueAccess(subject: "alice", role: .metricsViewer)
        clock.advance(899)
        #expect(try await service.verifyAccess(issued.token).subject == "alice")
        clock.advance(1)
        await expectRefused(issued.token, .expired, by: service)
        do {
            _ = try await service.verifyAccess(issued.token)
        } catch {
            #expect(error.isExpired)
        }
    }

    @Test func tokensNotYetValidAreRefusedPastTheLeeway() async throws {
        let service = try await service()
        let header: [String: Any] = ["alg": "HS256", "typ": "at+jwt"]
        let now = clock.now()
        var claims = TokenForge.accessClaims(now: now)
        claims["nbf"] = now + TokenService.clockSkewLeeway
        #expect(try await service.verifyAccess(TokenForge.make(header: header, claims: claims)).subject == "alice")
        claims["nbf"] = now + TokenService.clockSkewLeeway + 1
        await expectRefused(TokenForge.make(header: header, claims: claims), .notYetValid, by: service)
        claims["nbf"] = now
        claims["iat"] = now + 3_600
        await expectRefused(TokenForge.make(header: header, claims: claims), .notYetValid, by: service)
        // Times that are not numbers of seconds (1e300 fits no Int64) are malformed, and do not trap.
        claims["iat"] = now
        claims["exp"] = 1e300
        await expectRefused(TokenForge.make(header: header, claims: claims), .malformed, by: service)
        claims["exp"] = "tomorrow"
        await expectRefused(TokenForge.make(header: header, claims: claims), .malformed, by: service)
    }

    @Test func refreshTokensDoNotPassAsAccessTokensNorTheOtherWay() async throws {
        let service = try await service()
        let family = TokenService.newFamily()
        let refresh = try await service.issueRefresh(subject: "alice", family: family)
        #expect(TokenForge.parts(refresh.token).header["typ"] as? String == "refresh+jwt")
        #expect(
            try await service.verifyRefresh(refresh.token)
                == RefreshToken(subject: "alice", jti: refresh.jti, family: family, expiresAt: refresh.expiresAt))
        await expectRefused(refresh.token, .type, by: service)

        let access = try await service.issueAccess(subject: "alice", role: .orchestrationAdmin)
        await #expect(throws: TokenError.self) { try await service.verifyRefresh(access.token) }

        // The claims of one kind under the other's `typ`: refused on the claims too.
        let header: [String: Any] = ["alg": "HS256", "typ": "at+jwt"]
        var claims = TokenForge.parts(refresh.token).claims
        claims["role"] = "orchestration_admin"
        await expectRefused(TokenForge.make(header: header, claims: claims), .type, by: service)
        let accessClaims = TokenForge.accessClaims(now: clock.now())
        let asRefresh = TokenForge.make(header: ["alg": "HS256", "typ": "refresh+jwt"], claims: accessClaims)
        await #expect(throws: TokenError.self) { try await service.verifyRefresh(asRefresh) }
    }

    @Test func unknownRolesAreRefused() async throws {
        let service = try await service()
        let header: [String: Any] = ["alg": "HS256", "typ": "at+jwt"]
        for role in ["root", "", "ORCHESTRATION_ADMIN"] {
            await expectRefused(
                TokenForge.make(header: header, claims: TokenForge.accessClaims(now: clock.now(), role: role)), .role, by: service)
        }
        var claims = TokenForge.accessClaims(now: clock.now())
        claims["role"] = nil
        await expectRefused(TokenForge.make(header: header, claims: claims), .role, by: service)
    }

    @Test func malformedTokensAreRefused() async throws {
        let service = try await service()
        let good = try await service.issueAccess(subject: "alice", role: .metricsViewer).token
        let parts = good.split(separator: ".").map(String.init)
        let cases = [
            "", ".", "..", "abc", "a.b", "a.b.c.d", "\(parts[0]).\(parts[1])", "\(parts[0]).\(parts[1]).",
            "\(parts[0])=.\(parts[1]).\(parts[2])", "\(parts[0]).\(parts[1])+/.\(parts[2])", "\(parts[0]). \(parts[1]).\(parts[2])",
            "e30.\(parts[1]).\(parts[2])",  // {}
            "\(TokenForge.encode(Array("not json".utf8))).\(parts[1]).\(parts[2])",
            "\(TokenForge.encode(Array("[1,2]".utf8))).\(parts[1]).\(parts[2])",
            "A.\(parts[1]).\(parts[2])",  // an impossible base64 length
        ]
        for token in cases {
            await #expect(throws: TokenError.self) { try await service.verifyAccess(token) }
        }
        // A payload that is not JSON, correctly signed.
        await expectRefused(TokenForge.make(header: #"{"alg":"HS256","typ":"at+jwt"}"#, payload: "not json"), .malformed, by: service)
        await expectRefused(TokenForge.make(header: #"{"alg":"HS256","typ":"at+jwt"}"#, payload: "[]"), .malformed, by: service)
        // Without typ, or with the generic one.
        await expectRefused(
            TokenForge.make(header: ["alg": "HS256"], claims: TokenForge.accessClaims(now: clock.now())), .type, by: service)
        await expectRefused(
            TokenForge.make(header: ["alg": "HS256", "typ": "JWT"], claims: TokenForge.accessClaims(now: clock.now())), .type, by: service)
    }

    @Test func oversizedTokensAreRefusedBeforeParsing() async throws {
        let service = try await service()
        var claims = TokenForge.accessClaims(now: clock.now())
        claims["padding"] = String(repeating: "x", count: TokenService.maximumTokenBytes)
        await expectRefused(TokenForge.make(header: ["alg": "HS256", "typ": "at+jwt"], claims: claims), .oversized, by: service)
        await expectRefused(String(repeating: "A", count: 1_000_000), .oversized, by: service)
    }

    @Test func secretsShorterThan32BytesAreRefused() async throws {
        let error = await #expect(throws: TokenSettingsError.self) {
            try await TokenService(settings: TokenForge.settings(secret: Array("thirty-one bytes secret........".utf8)))
        }
        #expect(error?.description.contains("at least 32 bytes") == true)
        #expect(error?.description.contains("thirty-one") == false)
        _ = try await TokenService(settings: TokenForge.settings(secret: Array(repeating: 7, count: 32)))
    }
}
