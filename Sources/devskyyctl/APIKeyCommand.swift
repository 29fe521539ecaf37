import ArgumentParser
import DevSkyyAuth
import DevSkyyCore

/// `devskyyctl api-key new NAME --role ROLE`.
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key", abstract: "Makes API keys for the configuration's auth.api_keys.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints a new random key (shown only this once) and its configuration line, which holds only the key's hash.")

        @Argument(help: "The key's name: letters, digits, '.', '_' and '-'.")
        var name: String

        @Option(name: .long, help: "One of: \(Role.acceptedNames.joined(separator: ", ")).")
        var role: String

        func validate() throws {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains) else {
                throw ValidationError("a key name is 1 to 64 letters, digits, '.', '_' or '-'")
            }
            guard Role(named: role) != nil else {
                throw ValidationError("unknown role \(role); one of: \(Role.acceptedNames.joined(separator: ", "))")
            }
        }

        func run() throws {
            let key = APIKey.generate()
            let canonical = Role(named: role)?.rawValue ?? role
            print(key)
            print("{name: \(name), key_hash: \(APIKey.hash(key)), role: \(canonical)}")
        }
    }
}
