import DevSkyyTestSupport
import Foundation
import HummingbirdBcrypt
import Testing

@testable import DevSkyyAuth

@Suite("devskyyctl hash-password and api-key new")
struct CtlCredentialsTests {
    /// Runs the built devskyyctl with `input` as its standard input (a file, so not a terminal).
    func ctl(_ arguments: [String], input: String = "") async throws -> (status: Int32, stdout: String, stderr: String) {
        try await DaemonProcess.run("devskyyctl", arguments, input: input)
    }

    @Test func hashPasswordPrintsALineWhoseHashVerifiesThePassword() async throws {
        let run = try await ctl(["hash-password", "--cost", "10"], input: "s3cret pass\n")
        #expect(run.status == 0, "\(run.stderr)")
        let line = run.stdout.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix("password_hash: \"$2b$10$") && line.hasSuffix("\""))
        let hash = String(line.dropFirst("password_hash: \"".count).dropLast())
        #expect(Bcrypt.verify("s3cret pass", hash: hash))
        #expect(!Bcrypt.verify("s3cret pass\n", hash: hash))
        #expect(!run.stdout.contains("s3cret") && !run.stderr.contains("s3cret"))
    }

    @Test func hashPasswordRefusesWhatBcryptWouldTruncate() async throws {
        let run = try await ctl(["hash-password", "--cost", "10"], input: String(repeating: "p", count: 73) + "\n")
        #expect(run.status != 0 && run.stdout.isEmpty)
        #expect(run.stderr.contains("72 bytes"))
    }

    @Test func apiKeyNewPrintsTheKeyOnceAndTheConfigLineWithItsHash() async throws {
        let run = try await ctl(["api-key", "new", "ci-deploy", "--role", "admin"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let key = lines.first ?? ""
        #expect(key.hasPrefix(APIKey.prefix))
        #expect(lines.last == "{name: ci-deploy, key_hash: \(APIKey.hash(key)), role: orchestration_admin}")
        let table = APIKeyTable([.init(name: "ci-deploy", keyHash: APIKey.hash(key), role: .orchestrationAdmin)])
        #expect(table.identity(for: key)?.subject == "ci-deploy")

        let refused = try await ctl(["api-key", "new", "ci deploy}", "--role", "root"])
        #expect(refused.status != 0 && refused.stdout.isEmpty)
    }
}
