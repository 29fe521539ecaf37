import Glibc

/// The outbox's folder: creating it, listing it, and replacing or removing the files in it.
struct OutboxDirectory {
    let path: String

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Creates the folder and any missing parents, mode 0700: samples may be business data.
    func create() throws(OutboxError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/\(part)"
            if mkdir(current, 0o700) != 0 && errno != EEXIST { throw OutboxFile.failure("cannot create the folder", current) }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw OutboxFile.failure("cannot stat", path) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .io("\(path) is not a folder") }
        guard access(path, W_OK | X_OK) == 0 else { throw OutboxFile.failure("cannot write in", path) }
    }

    func names() throws(OutboxError) -> [String] {
        guard let stream = opendir(path) else { throw OutboxFile.failure("cannot list", path) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The whole file, or nil when it does not exist.
    func read(_ name: String) throws(OutboxError) -> [UInt8]? {
        guard let file = try OutboxFile.openIfPresent(self.file(name)) else { return nil }
        defer { file.close() }
        return try file.read(at: 0, count: file.size())
    }

    /// Replaces a file all at once (a temporary file renamed over it): a reader sees the old content or the new, never a mix.
    func replace(_ name: String, with bytes: [UInt8], durably: Bool) throws(OutboxError) {
        let temporary = file(name + ".tmp")
        let file = try OutboxFile.open(temporary, writable: true, create: true)
        do {
            try file.truncate(to: 0)
            try file.write(bytes, at: 0)
            if durably { try file.sync() }
        } catch {
            file.close()
            throw error
        }
        file.close()
        guard rename(temporary, self.file(name)) == 0 else { throw OutboxFile.failure("cannot rename \(temporary) to", self.file(name)) }
        if durably { try sync() }
    }

    /// Removes a file; one already gone is fine.
    func remove(_ name: String) throws(OutboxError) {
        guard unlink(file(name)) == 0 || errno == ENOENT else { throw OutboxFile.failure("cannot remove", file(name)) }
    }

    /// Makes creations, renames and removals in the folder survive a power failure.
    func sync() throws(OutboxError) {
        let descriptor = OutboxFile.retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw OutboxFile.failure("cannot open", path) }
        defer { close(descriptor) }
        guard OutboxFile.retrying({ fsync(descriptor) }) == 0 else { throw OutboxFile.failure("cannot fsync", path) }
    }
}
