import DevSkyyTestSupport
import Foundation
import HummingbirdBcrypt
import Testing

@testable import DevSkyyAuth

@Suite("devskyyctl hash-password and api-key new")
struct CtlCredentialsTests {
    /// Runs the built devskyyctl with `input` as its standard input (a file, so not a terminal).
    func ctl(_ arguments: [String], input: String = "") async throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = TemporaryFolder("ctl-credentials")
        defer { folder.remove() }
        let files = (input: folder.file("in"), output: folder.file("out"), error: folder.file("err"))
        for (path, contents) in [(files.input, input), (files.output, ""), (files.error, "")] {
            _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(DaemonProcess.binaries)/devskyyctl")
        process.arguments = arguments
        process.standardInput = FileHandle(forReadingAtPath: files.input)
        process.standardOutput = FileHandle(forWritingAtPath: files.output)
        process.standardError = FileHandle(forWritingAtPath: files.error)
        try process.run()
        _ = await eventually(timeout: .seconds(60)) { !process.isRunning }
        process.killAndReap()
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (process.terminationStatus, read(files.output), read(files.error))
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
