import Dispatch

/// Runs blocking file work (the outbox's writes, reads and fsyncs) on a thread of its own.
///
/// Swift's task pool has one thread per core, two on a small machine: an fsync waiting on a slow disk there would
/// stall the collectors and the query server with it. One serial queue for all of it also keeps the calls in order.
public enum BlockingIO {
    private static let queue = DispatchQueue(label: "devskyy.blocking-io")
    private static let marker = DispatchSpecificKey<Bool>()
    private static let marked: Void = queue.setSpecific(key: marker, value: true)

    /// Runs `work` on the blocking-I/O thread and returns its result; the calling task waits without holding a thread.
    public static func run<T: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        _ = marked
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(Failure) -> T in try work() })
            }
        }
        return try result.get()
    }

    /// True on the blocking-I/O thread.
    public static var isCurrent: Bool {
        _ = marked
        return DispatchQueue.getSpecific(key: marker) == true
    }
}
