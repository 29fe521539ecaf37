import DevSkyyAuth
import Foundation

/// Where `devskyyctl login` keeps its tokens: one file per daemon address in `$XDG_RUNTIME_DIR/devskyyctl`, a
/// per-user folder that the system empties at logout and reboot. The folder is 0700 and each file 0600, written
/// whole under a temporary name and renamed, so a reader never sees half a file.
struct TokenStore {
    let directory: String
    /// True for the fallback in the user's home, which keeps the tokens on disk until logout.
    let persistent: Bool

    /// The store, or why there is none. Without `XDG_RUNTIME_DIR` (sudo, ssh into a container, cron) the XDG state
    /// folder (`~/.local/state/devskyyctl`) is used, as other command-line clients keep their tokens in the home
    /// folder; a shared folder such as /tmp never is, since another user could plant the file there first.
    static func locate(_ environment: ClientEnvironment) -> Result<TokenStore, DaemonAnswer> {
        if let runtime = environment.runtimeDirectory, runtime.hasPrefix("/") {
            return .success(TokenStore(directory: runtime + "/devskyyctl", persistent: false))
        }
        if let state = environment.stateHome, state.hasPrefix("/") {
            return .success(TokenStore(directory: state + "/devskyyctl", persistent: true))
        }
        if let home = environment.home, home.hasPrefix("/") {
            return .success(TokenStore(directory: home + "/.local/state/devskyyctl", persistent: true))
        }
        return .failure(
            DaemonAnswer(
                "neither XDG_RUNTIME_DIR nor HOME is set, so there is no private folder to keep a login in: set XDG_RUNTIME_DIR "
                    + "to a folder only you can read, or give --token or --api-key (or DEVSKYY_TOKEN or DEVSKYY_API_KEY) instead"))
    }

    /// The file of a daemon's login: readable, and told apart by a hash of the whole address.
    func file(for address: String) -> String {
        let readable = address.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "_" }
        return "\(directory)/\(String(readable.prefix(64)))-\(APIKey.hash(address).prefix(16)).json"
    }

    /// The login kept for `address`, or nil when there is none.
    func load(_ address: String) throws -> StoredLogin? {
        let path = file(for: address)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let login = try? JSONDecoder().decode(StoredLogin.self, from: data), login.daemon == address else {
            throw DaemonAnswer("the login kept in \(path) cannot be read: log in again (devskyyctl login) or delete the file")
        }
        return login
    }

    func save(_ login: StoredLogin) throws {
        try prepare()
        let path = file(for: login.daemon)
        let temporary = "\(path).\(getpid()).tmp"
        let bytes = Array(try JSONEncoder().encode(login))
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("cannot create", temporary) }
        var written = 0
        var failed = fchmod(fd, 0o600) != 0
        while !failed, written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { failed = true } else { written += count }
        }
        failed = failed || fsync(fd) != 0
        let error = Self.failure("cannot write", temporary)
        close(fd)
        guard !failed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failed ? error : Self.failure("cannot rename into", path)
        }
    }

    /// Deletes the login kept for `address`; none is not an error.
    func delete(_ address: String) throws {
        let path = file(for: address)
        guard unlink(path) == 0 || errno == ENOENT else { throw Self.failure("cannot delete", path) }
    }

    /// Runs `body` while holding the lock of `address`'s login. A refresh token works once: two commands that
    /// refreshed with the same one at the same time would end the login (the daemon takes the second use for a theft).
    func withLock<T>(_ address: String, _ body: () throws -> T) throws -> T {
        try prepare()
        let path = file(for: address) + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("cannot open", path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Self.failure("cannot lock", path) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Creates the folder closed to others, or checks that the one there is the user's own and closes it.
    private func prepare() throws {
        // The parents (~/.local/state) as XDG asks for them: 0700.
        let parent = (directory as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if mkdir(directory, 0o700) != 0, errno != EEXIST { throw Self.failure("cannot create", directory) }
        var info = stat()
        guard lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw DaemonAnswer("\(directory) is not a folder: remove it, and log in again")
        }
        guard info.st_uid == geteuid() else {
            throw DaemonAnswer("\(directory) belongs to another user: devskyyctl keeps no tokens there")
        }
        if info.st_mode & 0o077 != 0, chmod(directory, 0o700) != 0 { throw Self.failure("cannot close to others", directory) }
    }

    private static func failure(_ what: String, _ path: String) -> DaemonAnswer {
        DaemonAnswer("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
