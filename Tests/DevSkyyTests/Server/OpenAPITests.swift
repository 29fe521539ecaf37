import DevSkyyCore
import DevSkyyServer
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Testing

@testable import DevSkyyServer

@Suite struct OpenAPITests {
    private static func router() -> Router<APIRequestContext> {
        var live = LiveState(config: DaemonConfig())
        return QueryRouter.build(store: SnapshotStore(live.snapshot(now: 0)), explain: { _ in nil })
    }

    private static func document() throws -> [String: Any] {
        let bytes = Array(OpenAPIDocument.body.body.readableBytesView)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// `method path` for every operation of the document.
    private static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }

    /// The router's `:param` (or `{param}`) path in OpenAPI notation.
    static func openAPIPath(_ routerPath: String) -> String {
        let components = routerPath.split(separator: "/").map { component -> String in
            component.hasPrefix(":") ? "{\(component.dropFirst())}" : String(component)
        }
        return "/" + components.joined(separator: "/")
    }

    @Test func documentIsOpenAPI31JSON() throws {
        let document = try Self.document()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1.") == true)
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["title"] as? String != nil)
        #expect(info["version"] as? String == DevSkyyVersion.string)
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for name in ["Error", "OAuthError", "HealthEvent", "Partnership", "Deliverable", "DeliverableUpdate"] {
            #expect(schemas[name] != nil, "\(name)")
        }
        // Every reference resolves.
        let text = String(decoding: OpenAPIDocument.body.body.readableBytesView, as: UTF8.self)
        let references = text.components(separatedBy: "\"#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!references.isEmpty)
        for reference in references { #expect(schemas[String(reference)] != nil, "\(reference)") }
    }

    /// A route the document lacks fails, and so does a documented operation no route serves. The router's other
    /// routes are the 405 answers `addErrorFallbacks` adds for catalogued paths: each is asked over HTTP to prove it.
    @Test func documentCoversEveryRouteAndNothingElse() async throws {
        let router = Self.router()
        let routes = Set(router.routes.map { "\($0.method.rawValue) \(Self.openAPIPath($0.path.description))" })
        let documented = try Self.documentedOperations()
        for operation in documented.subtracting(routes).sorted() {
            Issue.record("\(operation) is documented but no route serves it")
        }
        #expect(documented == Set(EndpointCatalog.all.map { "\($0.method) \($0.path)" }))

        let served = try await ServedRouter.start(router)
        defer { served.stop() }
        for route in routes.subtracting(documented).sorted() {
            let parts = route.split(separator: " ", maxSplits: 1)
            let path = parts[1].replacingOccurrences(of: "{", with: "x").replacingOccurrences(of: "}", with: "")
            let answer = try await PlainHTTP.request(String(parts[0]), path, port: served.port)
            #expect(answer.status == 405, "\(route) is a route the document lacks (it answered \(answer.status))")
        }
    }

    /// Each operation's `security` names the permission the access layer enforces for it (the bearer scope).
    @Test func securityComesFromThePermissionTable() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: [String: Any]]])
        for route in APIRoutes.all {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()], "\(route.key)")
            let security = try #require(operation["security"] as? [[String: [String]]], "\(route.key)")
            if route.permission == .anyone {
                #expect(security.isEmpty, "\(route.key)")
            } else {
                #expect(security.first?["bearer"] == [route.permission.rawValue], "\(route.key)")
                #expect(security.contains { $0["apiKey"] != nil }, "\(route.key)")
            }
        }
        let schemes = try #require((try Self.document()["components"] as? [String: Any])?["securitySchemes"] as? [String: Any])
        #expect(Set(schemes.keys) == ["bearer", "apiKey"])
    }

    @Test func everyPathParameterIsDeclared() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            let names = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            for (method, operation) in operations {
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                let declared = parameters.filter { $0["in"] as? String == "path" }
                #expect(Set(declared.compactMap { $0["name"] as? String }) == names, "\(method) \(path)")
                #expect(declared.allSatisfy { $0["required"] as? Bool == true }, "\(method) \(path)")
                #expect(operation["responses"] as? [String: Any] != nil, "\(method) \(path)")
            }
        }
    }

    @Test func everyOperationDocumentsTheErrorsAnyRouteCanAnswer() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let responses = try #require(operation["responses"] as? [String: [String: Any]])
                #expect(responses["413"] != nil && responses["500"] != nil, "\(method) \(path)")
                if operation["requestBody"] == nil {
                    let description = responses["400"]?["description"] as? String ?? ""
                    #expect(description.contains("unexpected_body"), "\(method) \(path): \(description)")
                }
            }
        }
    }

    @Test func everyErrorStatusUsesTheOneShape() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let responses = try #require(operation["responses"] as? [String: [String: Any]])
                #expect(responses["200"] != nil || responses["204"] != nil, "\(method) \(path)")
                for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                    let content = try #require(response["content"] as? [String: [String: Any]], "\(method) \(path) \(status)")
                    let reference = (content["application/json"]?["schema"] as? [String: Any])?["$ref"] as? String
                    // The OAuth token endpoint's own refusals are in RFC 6749 §5.2's shape, which OAuth clients read.
                    let oauth = path == APIRoutes.token.path && ["400", "401"].contains(status)
                    #expect(
                        reference == "#/components/schemas/\(oauth ? "OAuthError" : "Error")", "\(method) \(path) \(status)")
                }
            }
        }
    }

    @Test(arguments: [false, true]) func documentAndPageAreServedOverHTTP(onUnixSocket: Bool) async throws {
        let unixPath = onUnixSocket ? FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID()).sock").path : nil
        let served = try await ServedRouter.start(Self.router(), unixPath: unixPath)
        defer {
            served.stop()
            if let unixPath { try? FileManager.default.removeItem(atPath: unixPath) }
        }
        func get(_ path: String, headers: [String: String] = [:]) async throws -> PlainHTTP.Answer {
            try await PlainHTTP.request("GET", path, port: unixPath == nil ? served.port : nil, unixPath: unixPath, headers: headers)
        }

        let document = try await get("/openapi.json")
        #expect(document.status == 200)
        #expect(document.contentType == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.body)) as? [String: Any])
        #expect((object["openapi"] as? String)?.hasPrefix("3.1.") == true)
        let etag = try #require(document.headers["etag"])
        let again = try await get("/openapi.json", headers: ["If-None-Match": etag])
        #expect(again.status == 304)

        let page = try await get("/docs")
        #expect(page.status == 200)
        #expect(page.contentType?.hasPrefix("text/html") == true)
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for endpoint in EndpointCatalog.all {
            #expect(html.contains("<code>\(endpoint.path)</code>"), "\(endpoint.path)")
        }
        // No external assets and no script.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func pageEscapesText() {
        #expect(DocsPage.escape(#"<a href="x">&</a>"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;")
    }
}
