import DevSkyyCore
import DevSkyyServer
import DevSkyyTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The collector names the test route was asked about, in order.
private final class NamesAsked: Sendable {
    private let names = NIOLockedValueBox<[String]>([])

    func add(_ name: String) { names.withLockedValue { $0.append(name) } }
    var all: [String] { names.withLockedValue { $0 } }
}

@Suite("Path segments devskyyctl sends")
struct PathSegmentTests {
    /// Every character that would end a segment, start a query or fragment, or read as an escape.
    static let awkward = "a/b?c#d%e f"

    @Test func reservedCharactersStayInsideTheSegment() {
        #expect(PercentEncoding.pathSegment(Self.awkward) == "a%2Fb%3Fc%23d%25e%20f")
        #expect(PercentEncoding.pathSegment("tech_api-2.v~1") == "tech_api-2.v~1")
        #expect(PercentEncoding.pathSegment("..") == "%2E%2E")
        #expect(PercentEncoding.pathSegment(".") == "%2E")
        #expect(PercentEncoding.pathSegment("é") == "%C3%A9")
        #expect(PercentEncoding.queryValue(#"{a="b",c+d}&x"#) == "%7Ba%3D%22b%22%2Cc%2Bd%7D%26x")
    }

    @Test func awkwardNamesReachTheirRouteAsOneSegment() async throws {
        let asked = NamesAsked()
        let router = QueryRouter.build(
            store: SnapshotStore(orchestrationSnapshot(try orchestrationConfig())),
            explain: { name in
                asked.add(name)
                return nil
            })
        let served = try await ServedRouter.start(router)
        defer { served.stop() }
        let base = "http://127.0.0.1:\(served.port)"
        for name in [Self.awkward, ".."] {
            let run = try await DaemonProcess.run("devskyyctl", ["test", name, "--url", base])
            #expect(run.status != 0)
            // The collector route answered, not the one for unknown paths.
            #expect(run.stderr.contains("no such collector"), "\(run.stderr)")
        }
        // What the route got is what was typed, decoded by the server or by us.
        #expect(asked.all.count == 2)
        for (got, typed) in zip(asked.all, [Self.awkward, ".."]) {
            #expect(got == typed || got.removingPercentEncoding == typed, "\(got)")
        }

        let deliverable = try await DaemonProcess.run(
            "devskyyctl", ["deliverable", Self.awkward, "x/y", "--completion", "5", "--url", base])
        #expect(deliverable.status != 0)
        #expect(deliverable.stderr.contains("no partnership '"), "\(deliverable.stderr)")
    }
}
