import DevSkyyAuth
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

/// devskyyctl's credentials against the built devskyyd with users, a JWT secret and an API key, over TCP: a kept
/// login (file modes, refresh when expired or refused, an ended login, logout), --token and --api-key and their
/// environment variables in order of precedence, and a clear refusal without any.
@Suite("devskyyctl credentials end to end", .serialized)
struct CtlLoginEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture

    /// devskyyctl with its own runtime folder and none of the test's credential variables.
    struct Ctl {
        let url: String
        let runtime: String

        func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil, runtime: String? = nil)
            async throws -> (status: Int32, stdout: String, stderr: String)
        {
            var variables = ["XDG_RUNTIME_DIR": runtime ?? self.runtime, "DEVSKYY_TOKEN": "", "DEVSKYY_API_KEY": ""]
            variables.merge(environment) { $1 }
            return try await DaemonProcess.run("devskyyctl", arguments, environment: variables, input: input)
        }

        /// `devskyyctl series` over TCP: a read any role may make.
        func series(_ more: [String] = [], environment: [String: String] = [:], runtime: String? = nil) async throws -> (
            status: Int32, stdout: String, stderr: String
        ) {
            try await run(["series", "--url", url] + more, environment: environment, runtime: runtime)
        }

        var folder: String { runtime + "/devskyyctl" }

        /// The login files kept (none before the first login).
        var loginFiles: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }
        }

        /// The one login file kept for the daemon.
        func loginFile() throws -> String {
            #expect(loginFiles.count == 1, "\(loginFiles)")
            return folder + "/" + (try #require(loginFiles.first))
        }

        func stored() throws -> [String: Any] {
            let data = try #require(FileManager.default.contents(atPath: try loginFile()))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        /// Rewrites fields of the kept login, as time or another client would have changed it.
        func edit(_ fields: [String: Any]) throws {
            var login = try stored()
            login.merge(fields) { $1 }
            let data = try JSONSerialization.data(withJSONObject: login)
            #expect(FileManager.default.createFile(atPath: try loginFile(), contents: data, attributes: [.posixPermissions: 0o600]))
        }
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1
    }

    /// `token` signed again with the daemon's secret, expired a minute ago: good in every way but its time.
    static func expired(_ token: String) -> String {
        let now = Int64(Date().timeIntervalSince1970)
        var (header, claims) = TokenForge.parts(token)
        claims["exp"] = now - 60
        claims["iat"] = now - 960
        claims["nbf"] = now - 960
        return TokenForge.make(header: header, claims: claims, signing: .hs256(key: Array(AuthEndToEndTests.secret.utf8)))
    }

    @Test func loginRefreshKeysTokensAndRefusalsOverTCP() async throws {
        let hash = try PasswordHasher.makeHash(AuthEndToEndTests.password, cost: 10)
        let key = APIKey.generate()
        try await Fixture.run { f in
            let path = try AuthEndToEndTests.writeConfig(f, "auth.yaml", passwordHash: hash, keys: [("ci", key, "metrics_viewer")])
            let daemon = try f.start(config: path, systemd: false)
            #expect(await eventually(timeout: .seconds(20)) { (try? f.health()) != nil }, "\(daemon.stderrSoFar)")
            let ctl = Ctl(url: "http://127.0.0.1:\(f.tcpPort)", runtime: f.folder.file("runtime"))
            let empty = f.folder.file("empty-runtime")
            for folder in [ctl.runtime, empty] {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            var outputs: [String] = []
            var secrets = [AuthEndToEndTests.password, key]
            func record(_ run: (status: Int32, stdout: String, stderr: String)) -> (status: Int32, stdout: String, stderr: String) {
                outputs.append(run.stdout + run.stderr)
                return run
            }

            // Nothing to send over TCP: a 401 that says how to log in, and exit 1.
            let anonymous = record(try await ctl.series())
            #expect(anonymous.status == 1)
            #expect(
                anonymous.stderr.contains("HTTP 401") && anonymous.stderr.contains("devskyyctl login --url \(ctl.url)"),
                "\(anonymous.stderr)")

            // A wrong password keeps nothing; the right one keeps the pair, closed to others.
            let login = ["login", "--url", ctl.url, "--username", "ada", "--password-stdin"]
            let refused = record(try await ctl.run(login, input: "wrong password\n"))
            #expect(refused.status == 1 && refused.stderr.contains("HTTP 401"), "\(refused.stderr)")
            #expect(ctl.loginFiles.isEmpty)
            let loggedIn = record(try await ctl.run(login, input: AuthEndToEndTests.password + "\n"))
            #expect(loggedIn.status == 0, "\(loggedIn.stderr)")
            #expect(loggedIn.stdout.contains("as ada (orchestration_admin)"))
            #expect(Self.mode(try ctl.loginFile()) == 0o600)
            #expect(Self.mode(ctl.folder) == 0o700)
            let first = try ctl.stored()
            secrets += [first["access_token"] as? String ?? "?", first["refresh_token"] as? String ?? "?"]

            // The kept login alone is enough; a fresh access token is not refreshed.
            let read = record(try await ctl.series())
            #expect(read.status == 0, "\(read.stderr)")
            #expect(read.stdout.contains("technical.system_uptime"))
            #expect(try ctl.stored()["refresh_token"] as? String == first["refresh_token"] as? String)

            // Expired by the file's clock: refreshed before the request, the new pair kept.
            try ctl.edit(["access_expires_at": Int64(Date().timeIntervalSince1970) - 10])
            #expect(record(try await ctl.series()).status == 0)
            let second = try ctl.stored()
            secrets += [second["access_token"] as? String ?? "?", second["refresh_token"] as? String ?? "?"]
            #expect(second["refresh_token"] as? String != first["refresh_token"] as? String, "refreshed before sending")
            #expect(Self.mode(try ctl.loginFile()) == 0o600)

            // Expired by the daemon's clock while the file thinks it good: refused once, refreshed, sent again.
            let stale = Self.expired(try #require(second["access_token"] as? String))
            secrets.append(stale)
            try ctl.edit(["access_token": stale])
            let retried = record(try await ctl.series())
            #expect(retried.status == 0, "\(retried.stderr)")
            let third = try ctl.stored()
            secrets += [third["access_token"] as? String ?? "?", third["refresh_token"] as? String ?? "?"]
            #expect(third["refresh_token"] as? String != second["refresh_token"] as? String, "refreshed after the 401")

            // Several commands finding the token expired at once: one refreshes, the others use its pair (a refresh
            // token used twice would end the login).
            try ctl.edit(["access_expires_at": Int64(Date().timeIntervalSince1970) - 10])
            let runs = try await withThrowingTaskGroup(of: (status: Int32, stdout: String, stderr: String).self) { group in
                for _ in 0..<6 { group.addTask { try await ctl.series() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for run in runs { #expect(record(run).status == 0, "\(run.stderr)") }
            let fourth = try ctl.stored()
            secrets += [fourth["access_token"] as? String ?? "?", fourth["refresh_token"] as? String ?? "?"]

            // API keys and tokens, by option and by environment, without any kept login.
            let access = try #require(fourth["access_token"] as? String)
            #expect(record(try await ctl.series(["--api-key", key], runtime: empty)).status == 0)
            #expect(record(try await ctl.series(environment: ["DEVSKYY_API_KEY": key], runtime: empty)).status == 0)
            #expect(record(try await ctl.series(["--token", access], runtime: empty)).status == 0)
            #expect(record(try await ctl.series(environment: ["DEVSKYY_TOKEN": access], runtime: empty)).status == 0)
            // Over the Unix socket they are not needed, and harmless.
            let socket = record(try await ctl.run(["series", "--socket", f.socketPath, "--api-key", key]))
            #expect(socket.status == 0, "\(socket.stderr)")

            // Precedence: an option over the environment over the kept login (a bad one shows which was sent).
            let badKey = APIKey.generate()
            secrets.append(badKey)
            let badOption = record(try await ctl.series(["--api-key", badKey]))
            #expect(badOption.status == 1 && badOption.stderr.contains("the credential from --api-key was refused"), "\(badOption.stderr)")
            #expect(record(try await ctl.series(["--api-key", key], environment: ["DEVSKYY_TOKEN": badKey])).status == 0)
            let badVariable = record(try await ctl.series(environment: ["DEVSKYY_TOKEN": badKey]))
            #expect(badVariable.status == 1 && badVariable.stderr.contains("DEVSKYY_TOKEN was refused"), "\(badVariable.stderr)")
            #expect(try ctl.stored()["access_token"] as? String == access, "a refused option leaves the login alone")

            // A login the daemon ended (its refresh token already used): said so, and its file deleted.
            try ctl.edit(["access_expires_at": 0, "refresh_token": try #require(first["refresh_token"] as? String)])
            let ended = record(try await ctl.series())
            #expect(ended.status == 1 && ended.stderr.contains("has ended"), "\(ended.stderr)")
            #expect(ctl.loginFiles.isEmpty)

            // Logout: the daemon revokes the access token, and the file goes.
            #expect(record(try await ctl.run(login, input: AuthEndToEndTests.password + "\n")).status == 0)
            let last = try ctl.stored()
            let lastAccess = try #require(last["access_token"] as? String)
            secrets += [lastAccess, last["refresh_token"] as? String ?? "?"]
            let logout = record(try await ctl.run(["logout", "--url", ctl.url]))
            #expect(logout.status == 0, "\(logout.stderr)")
            #expect(ctl.loginFiles.isEmpty)
            #expect(record(try await ctl.series(["--token", lastAccess], runtime: empty)).status == 1, "revoked by the logout")
            #expect(record(try await ctl.series()).status == 1, "nothing kept")

            for output in outputs {
                for secret in secrets {
                    #expect(!output.contains(secret), "devskyyctl printed a credential")
                }
            }
        }
    }
}
