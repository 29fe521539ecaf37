import Glibc

/// An open file of the outbox: the one place its file I/O is called, turning each failure into an `OutboxError`.
///
/// A plain descriptor; whoever opens it closes it. Not thread-safe: `Outbox` uses it under its lock.
struct OutboxFile {
    let descriptor: Int32
    let path: String

    /// Opens `path`; `create` makes it (mode 0600) when missing.
    static func open(_ path: String, writable: Bool, create: Bool = false) throws(OutboxError) -> OutboxFile {
        var flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC
        if create { flags |= O_CREAT }
        let descriptor = retrying { Glibc.open(path, flags, 0o600) }
        guard descriptor >= 0 else { throw failure("cannot open", path) }
        return OutboxFile(descriptor: descriptor, path: path)
    }

    /// Opens `path` for reading, or returns nil when it does not exist.
    static func openIfPresent(_ path: String) throws(OutboxError) -> OutboxFile? {
        let descriptor = retrying { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot open", path)
        }
        return OutboxFile(descriptor: descriptor, path: path)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    func size() throws(OutboxError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure("cannot stat", path) }
        return Int(info.st_size)
    }

    /// Up to `count` bytes from `offset`; fewer only at the end of the file.
    func read(at offset: Int, count: Int) throws(OutboxError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                Self.retrying { pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done)) }
            }
            guard got >= 0 else { throw Self.failure("cannot read", path) }
            if got == 0 { break }
            done += got
        }
        bytes.removeLast(count - done)
        return bytes
    }

    func write(_ bytes: [UInt8], at offset: Int) throws(OutboxError) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer in
                Self.retrying { pwrite(descriptor, buffer.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            }
            guard wrote >= 0 else { throw Self.failure("cannot write", path) }
            guard wrote > 0 else { throw .io("cannot write \(path): the file system took no bytes", errno: ENOSPC) }
            done += wrote
        }
    }

    func truncate(to size: Int) throws(OutboxError) {
        guard Self.retrying({ ftruncate(descriptor, off_t(size)) }) == 0 else { throw Self.failure("cannot truncate", path) }
    }

    func sync() throws(OutboxError) {
        guard Self.retrying({ fsync(descriptor) }) == 0 else { throw Self.failure("cannot fsync", path) }
    }

    /// Takes the advisory lock that keeps a second process (or a second `Outbox`) out of the folder.
    ///
    /// Waits up to a second for the lock: a previous daemon may still be exiting, and a child being spawned
    /// holds a copy of the descriptor until its exec closes it.
    func lockExclusively() throws(OutboxError) {
        for attempt in 0..<20 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
            guard errno == EWOULDBLOCK else { throw Self.failure("cannot lock", path) }
            if attempt < 19 { usleep(50_000) }
        }
        throw .locked("another process or Outbox already uses \(path)")
    }

    /// The error for the call that just failed, with `errno`'s text.
    static func failure(_ action: String, _ path: String) -> OutboxError {
        let number = errno
        return .io("\(action) \(path): \(String(cString: strerror(number)))", errno: number)
    }

    /// Runs a system call again while a signal interrupts it.
    static func retrying<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        var result = call()
        while result < 0 && errno == EINTR { result = call() }
        return result
    }
}
