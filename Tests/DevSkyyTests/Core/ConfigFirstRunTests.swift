import DevSkyyCore
import DevSkyyDaemon
import DevSkyyTestSupport
import Foundation
import Testing

/// What an operator meets the first time they run `devskyyd --check-config` by hand.
@Suite("Configuration on a first run")
struct ConfigFirstRunTests {
    static let yaml = """
        partnerships: [{ id: technical, type: technical }]
        collectors:
          - name: tech
            partnership: technical
            url: http://127.0.0.1:8080/technical.json
            headers: { Authorization: "Bearer ${TECH_TOKEN}" }
            metrics: [{ name: system_uptime, path: metrics.system_uptime }]
        thresholds:
          - { partnership: technical, metric: system_uptime, critical: { below: 99 } }
          - { partnership: technical, metric: nope, critical: { below: 99 } }
        """

    func issues(_ yaml: String, _ environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader(environment: environment).load(yaml: yaml, file: "d.yaml")
            return []
        } catch {
            return error.issues.map { "\($0.line): \($0.message)" }
        }
    }

    @Test func anUnsetVariableSaysWhereVariablesComeFromAndIsTheOnlyError() {
        let found = issues(Self.yaml)
        // The threshold on system_uptime is not reported as defined by no collector: its collector has the error.
        #expect(found.count == 2, "\(found)")
        #expect(found.first?.hasPrefix("6: collectors[0].headers.Authorization: environment variable TECH_TOKEN is not set") == true)
        #expect(found.first?.contains("--env-file") == true && found.first?.contains("/etc/default/devskyyd") == true)
        #expect(found.last?.hasPrefix("10: thresholds[1].metric: unknown metric 'nope'") == true, "a metric no collector names still is")
    }

    @Test func anEmptyFileIsNotAValidConfiguration() {
        for text in ["", "\n\n", "# only a comment\n"] {
            #expect(issues(text).first?.hasPrefix("1: the file is empty") == true, "\(text.debugDescription)")
        }
    }

    @Test func anUnreadableFileSaysWhy() throws {
        let folder = TemporaryFolder("firstrun")
        defer { folder.remove() }
        for (path, reason) in [(folder.file("missing.yaml"), "no such file or directory"), (folder.path, "is a directory")] {
            do {
                _ = try ConfigLoader(environment: [:]).load(path: path)
                Issue.record("\(path) loaded")
            } catch {
                #expect(error.issues.first?.message == "cannot read the file: \(reason)")
            }
        }
    }

    @Test func anEnvironmentFileReadsAsSystemdReadsIt() throws {
        let text = """
            # comment
            ; another
            TECH_TOKEN=abc def
            QUOTED="with spaces "
            export SINGLE='x=y'

            """
        let variables = try EnvironmentFile.parse(text, file: "env")
        #expect(variables == ["TECH_TOKEN": "abc def", "QUOTED": "with spaces ", "SINGLE": "x=y"])
        do {
            _ = try EnvironmentFile.parse("OK=1\nnot a line\n9BAD=2\n", file: "env")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.map { "\($0.line): \($0.message)" } == ["2: expected NAME=value", "3: '9BAD' is not a variable name"])
        }
    }

    /// The built daemon with --env-file: the shipped example checks with its variables from a file.
    @Test func checkConfigWithAnEnvironmentFile() async throws {
        let folder = TemporaryFolder("envfile")
        defer { folder.remove() }
        folder.write("d.yaml", Self.yaml.split(separator: "\n").filter { !$0.contains("nope") }.joined(separator: "\n"))
        folder.write("default", "TECH_TOKEN=s3cret-token\n")
        let without = try await DaemonProcess.run("devskyyd", ["--check-config", "--config", folder.file("d.yaml")])
        #expect(without.status == 1)
        #expect(without.stderr.contains("TECH_TOKEN is not set"))
        let with = try await DaemonProcess.run(
            "devskyyd", ["--check-config", "--config", folder.file("d.yaml"), "--env-file", folder.file("default")])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(!with.stdout.contains("s3cret") && !with.stderr.contains("s3cret"))
    }
}
