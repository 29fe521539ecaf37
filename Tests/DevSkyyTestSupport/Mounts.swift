import Foundation

/// File systems of their own for the machine-fault tests: a small tmpfs (to fill), a read-only remount.
///
/// Needs root (CAP_SYS_ADMIN); `permitted` says whether this run has it, so tests can skip with a reason.
public enum Mounts {
    /// Whether this process may mount: tried once, on a throwaway folder.
    public static let permitted: Bool = {
        let folder = TemporaryFolder("mount-check")
        defer { folder.remove() }
        guard mountTmpfs(at: folder.path, size: "16k") else { return false }
        unmount(folder.path)
        return true
    }()

    /// Mounts a tmpfs of `size` (`64k`) on `path`, an existing folder; false when not permitted.
    @discardableResult
    public static func mountTmpfs(at path: String, size: String) -> Bool {
        run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path])
    }

    /// Makes `path` read-only in place (a bind mount of itself, remounted ro). Fails (false) while a process holds a
    /// file in it open for writing: the kernel refuses with EBUSY.
    @discardableResult
    public static func makeReadOnly(_ path: String) -> Bool {
        run("/bin/mount", ["--bind", path, path]) && run("/bin/mount", ["-o", "remount,bind,ro", path])
    }

    /// Unmounts `path` (lazily, so a file still open in it cannot keep the test's folder busy).
    @discardableResult
    public static func unmount(_ path: String) -> Bool {
        run("/bin/umount", ["-l", path])
    }

    /// Writes zeros to `path` until the file system says it is full (or `limit` bytes).
    public static func fill(_ path: String, limit: Int = 64 << 20) {
        guard let handle = FileHandle(forWritingAtPath: path) ?? create(path) else { return }
        defer { try? handle.close() }
        let chunk = Data(count: 1_024)
        var written = 0
        while written < limit, (try? handle.write(contentsOf: chunk)) != nil { written += chunk.count }
        // The last partial kilobyte: byte by byte.
        while written < limit, (try? handle.write(contentsOf: Data(count: 1))) != nil { written += 1 }
    }

    private static func create(_ path: String) -> FileHandle? {
        FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
