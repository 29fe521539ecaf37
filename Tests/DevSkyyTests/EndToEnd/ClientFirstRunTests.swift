import DevSkyyTestSupport
import Foundation
import Testing

/// devskyyctl when the daemon is not there, or refuses a request: a message an operator can act on, exit 1,
/// and no usage text (that is for mistakes on the command line, exit 64).
@Suite("devskyyctl on a first run")
struct ClientFirstRunTests {
    @Test func noDaemonSaysTheSocketAndThatItIsNotRunning() async throws {
        let folder = TemporaryFolder("ctl")
        defer { folder.remove() }
        let socket = folder.file("devskyyd.sock")
        let result = try await DaemonProcess.run("devskyyctl", ["health", "--socket", socket])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no daemon socket at \(socket)"), "\(result.stderr)")
        #expect(result.stderr.contains("is devskyyd running?"))
        #expect(!result.stderr.contains("port 80"))
        #expect(!result.stderr.contains("USAGE"))
    }

    @Test func aDaemonErrorIsPrintedWithExitStatusOne() async throws {
        let source = try await HTTPSource()
        source.serve(
            "/api/v1/collectors/nope/test", status: 404,
            #"{"status":"error","error":{"code":"not_found","message":"no collector named 'nope'"}}"#)
        let result = try await DaemonProcess.run("devskyyctl", ["test", "nope", "--url", source.url("")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no collector named 'nope'"), "\(result.stderr)")
        #expect(!result.stderr.contains("USAGE"))
        await source.stop()
    }
}
