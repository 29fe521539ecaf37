import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

@testable import DevSkyyAuth
@testable import DevSkyyServer

/// The routes declared from an `Endpoint` (`Endpoints`), on the built devskyyd: each is sent its request body as the
/// shared type encodes it, and its answer must decode as the shared answer type, which devskyyctl decodes too. A
/// field renamed or retyped on the daemon's side fails here rather than in an operator's table.
@Suite("Typed answers end to end", .serialized)
struct TypedAnswersEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture
    typealias Matrix = AccessMatrixEndToEndTests

    @Test func everyTypedRouteAnswersItsSharedType() async throws {
        let typed = APIRoutes.all.filter { $0.decodeAnswer != nil }
        let exercised = [
            APIRoutes.login, APIRoutes.refresh, APIRoutes.collectorList, APIRoutes.collectorTest, APIRoutes.partnershipList,
            APIRoutes.deliverableUpdate,
        ]
        #expect(Set(typed.map(\.key)) == Set(exercised.map(\.key)), "a typed route this test does not send")
        let hash = try PasswordHasher.makeHash(Matrix.password, cost: 10)
        try await Fixture.run { f in
            let path = try Matrix.writeConfig(f, "typed.yaml", passwordHash: hash, apiKey: APIKey.generate())
            let technical = "{ id: technical, name: Technical Engine, type: technical, key_metric: system_uptime"
            let config = try String(contentsOfFile: path, encoding: .utf8)
            #expect(config.contains(technical + " }"))
            try config.replacingOccurrences(of: technical + " }", with: technical + ", deliverables: [{ id: api, name: API }] }")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let daemon = try f.start(config: path, systemd: false)
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil }, "\(daemon.stderrSoFar)")

            func send<Body, Answer>(
                _ route: APIRoute, _ endpoint: Endpoint<Body, Answer>, path: String? = nil, body: Body, token: String? = nil
            ) async throws -> Answer {
                #expect(route.key == "\(endpoint.method.rawValue) \(endpoint.path)")
                var headers = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
                var bytes: [UInt8]?
                if !(body is NoBody) {
                    headers["Content-Type"] = "application/json"
                    bytes = Array(try JSONEncoder().encode(body))
                }
                let answer = try await PlainHTTP.request(
                    endpoint.method.rawValue, path ?? endpoint.path, port: f.tcpPort, headers: headers, body: bytes)
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(answer.status == 200, "\(route.key): \(text)")
                let decode = try #require(route.decodeAnswer)
                #expect(throws: Never.self, "\(route.key): \(text)") { try decode(Data(answer.body)) }
                return try JSONDecoder().decode(Answer.self, from: Data(answer.body))
            }

            let login = try await send(
                APIRoutes.login, Endpoints.login, body: LoginRequest(username: Matrix.users[0].name, password: Matrix.password))
            #expect(login.role == Matrix.users[0].role.rawValue && login.tokenType == "bearer")
            let refreshed = try await send(APIRoutes.refresh, Endpoints.refresh, body: RefreshRequest(refreshToken: login.refreshToken))
            #expect(refreshed.refreshToken != login.refreshToken)
            let collectors = try await send(APIRoutes.collectorList, Endpoints.collectors, body: NoBody(), token: refreshed.accessToken)
            #expect(collectors.collectors.map(\.name).contains("technical-file"), "\(collectors)")
            let explained = try await send(
                APIRoutes.collectorTest, Endpoints.collectorTest, path: Endpoints.collectorTest.path(["name": "technical-file"]),
                body: NoBody(), token: refreshed.accessToken)
            #expect(explained.collector == "technical-file", "\(explained)")
            let update = DeliverableUpdateRequest(completionPercentage: 40, status: "in_progress")
            let changed = try await send(
                APIRoutes.deliverableUpdate, Endpoints.deliverableUpdate,
                path: Endpoints.deliverableUpdate.path(["id": "technical", "deliverable_id": "api"]), body: update,
                token: refreshed.accessToken)
            #expect(changed.id == "api" && changed.completionPercentage == 40 && changed.status == "in_progress", "\(changed)")
            // Optional fields decode as nil when their key is missing: the ones that must be there are checked here.
            #expect(changed.lastUpdated != nil, "\(changed)")
            let partnerships = try await send(
                APIRoutes.partnershipList, Endpoints.partnerships, body: NoBody(), token: refreshed.accessToken)
            let listed = partnerships.partnerships.first { $0.id == "technical" }
            #expect(listed?.deliverables == [changed] && listed?.progress == 40 && listed?.lastUpdated != nil, "\(partnerships)")
        }
    }
}
