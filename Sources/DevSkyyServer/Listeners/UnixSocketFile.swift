import Glibc

/// File-system chores around a listening Unix socket.
enum UnixSocketFile {
    struct InUse: Error, CustomStringConvertible {
        let path: String
        var description: String { "another process is listening on \(path)" }
    }

    /// Creates the parent folder if needed and removes a stale socket; refuses a socket someone still answers on.
    static func prepare(path: String) throws {
        var parent = path
        while parent.hasSuffix("/") { parent.removeLast() }
        if let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
            makeFolders(String(parent[..<slash]))
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { return }
        if answers(path) { throw InUse(path: path) }
        unlink(path)
    }

    static func setMode(path: String, mode: UInt16) {
        chmod(path, mode_t(mode))
    }

    static func remove(path: String) {
        unlink(path)
    }

    private static func makeFolders(_ path: String) {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/\(part)"
            mkdir(current, 0o755)
        }
    }

    /// Whether a process accepts connections on the socket.
    private static func answers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
