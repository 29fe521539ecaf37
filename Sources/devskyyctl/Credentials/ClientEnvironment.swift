import Foundation

/// The environment variables devskyyctl reads, read in this one place; an empty one counts as unset.
struct ClientEnvironment {
    /// `DEVSKYY_TOKEN`: a bearer access token.
    var token: String?
    /// `DEVSKYY_API_KEY`: an API key.
    var apiKey: String?
    /// `XDG_RUNTIME_DIR`: where logins are kept.
    var runtimeDirectory: String?
    /// `XDG_STATE_HOME`, else `HOME`: where logins are kept without a runtime folder.
    var stateHome: String?
    var home: String?

    static var current: ClientEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let value = { (name: String) in variables[name].flatMap { $0.isEmpty ? nil : $0 } }
        return ClientEnvironment(
            token: value("DEVSKYY_TOKEN"), apiKey: value("DEVSKYY_API_KEY"), runtimeDirectory: value("XDG_RUNTIME_DIR"),
            stateHome: value("XDG_STATE_HOME"), home: value("HOME"))
    }
}
