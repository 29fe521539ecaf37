import ArgumentParser
import DevSkyyAuth
import Foundation

/// `devskyyctl hash-password`: a bcrypt hash for a user's `password_hash:` (or a client's `secret_hash:`).
struct HashPassword: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Reads a password from standard input (without echo on a terminal) and prints its password_hash line.")

    @Option(name: .long, help: "bcrypt cost, \(PasswordHasher.minimumCost) to \(PasswordHasher.maximumCost).")
    var cost: UInt8 = 12

    func run() throws {
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            let first = try PasswordPrompt.read("Password: ")
            guard try PasswordPrompt.read("Again: ") == first else { throw ValidationError("the two passwords differ") }
            password = first
        } else {
            password = PasswordPrompt.firstLineOfStandardInput()
        }
        do {
            print("password_hash: \"\(try PasswordHasher.makeHash(password, cost: cost))\"")
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// Reading a secret from the terminal with its echo off, restored afterwards whatever happens.
enum PasswordPrompt {
    /// A script's pipe: the first line, without its line ending.
    static func firstLineOfStandardInput() -> String {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        return String(input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmingSuffix("\r")
    }

    static func read(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw ValidationError("cannot read the terminal's settings") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else { throw ValidationError("cannot turn the terminal's echo off") }
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
