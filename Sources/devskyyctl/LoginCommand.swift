import ArgumentParser
import DevSkyyCore
import Foundation

/// `devskyyctl login`: a user's password for a token pair, kept for the other commands (see `TokenStore`).
struct Login: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Logs in with a username and password and keeps the tokens for the other commands to this daemon.",
        discussion: """
            The tokens are kept in $XDG_RUNTIME_DIR/devskyyctl (else ~/.local/state/devskyyctl; mode 0600), one file per daemon address, and refreshed when \
            the access token expires. The password is read from the terminal without echo, or with --password-stdin from \
            the first line of standard input.
            """)

    @Option(name: .long, help: "The user's name (asked on a terminal when not given).")
    var username: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    @OptionGroup var connection: Connection

    func run() throws {
        let store = try TokenStore.locate(.current).get()
        let terminal = isatty(STDIN_FILENO) == 1
        guard passwordStdin || terminal else {
            throw ValidationError("standard input is not a terminal: give --password-stdin to read the password from it")
        }
        let name: String
        if let username {
            name = username
        } else if terminal && !passwordStdin {
            FileHandle.standardError.write(Data("Username: ".utf8))
            name = readLine(strippingNewline: true) ?? ""
        } else {
            throw ValidationError("give --username (standard input holds the password)")
        }
        let password = passwordStdin ? PasswordPrompt.firstLineOfStandardInput() : try PasswordPrompt.read("Password: ")
        let request = try JSONEncoder().encode(LoginRequest(username: name, password: password))
        let endpoint = Endpoints.login
        let response = try connection.fetch(
            endpoint.path, method: endpoint.method.rawValue, body: Array(request), headers: ["Content-Type": "application/json"])
        guard response.isSuccess else { throw DaemonAnswer(connection.refusal(response, for: endpoint.path)) }
        let now = Checked.int64(Date().timeIntervalSince1970) ?? 0
        let login = StoredLogin(try TokenAnswer.decoded(from: response.body), daemon: connection.address, username: name, now: now)
        try store.withLock(connection.address) { try store.save(login) }
        if store.persistent {
            FileHandle.standardError.write(Data("note: XDG_RUNTIME_DIR is not set: the tokens stay on disk until logout\n".utf8))
        }
        print("logged in to \(connection.address) as \(name) (\(login.role)); the tokens are kept in \(store.file(for: login.daemon))")
    }
}

/// `devskyyctl logout`: the daemon revokes the login's tokens, and its file is deleted.
struct Logout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ends the login kept for this daemon (or the one of --token or DEVSKYY_TOKEN): the daemon revokes its tokens.")

    @OptionGroup var connection: Connection

    func run() throws {
        var session = try Session(connection: connection, environment: .current)
        let path = "/api/v1/auth/logout"
        guard case .login(_, let store) = session.credential else {
            if case .none = session.credential { return print("not logged in to \(connection.address)") }
            _ = try session.send(path, method: "POST")
            return print("logged out")
        }
        do {
            _ = try session.send(path, method: "POST")
        } catch is LoginEnded {
            return print("the login kept for \(connection.address) had already ended; its file is deleted")
        } catch {
            // The tokens are dropped here anyway: they expire by themselves, and a login that cannot be ended should
            // not keep being used.
            try store.delete(connection.address)
            throw DaemonAnswer("\(error); the login kept for \(connection.address) is deleted")
        }
        try store.delete(connection.address)
        print("logged out of \(connection.address)")
    }
}
