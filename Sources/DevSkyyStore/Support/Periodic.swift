import ServiceLifecycle

/// A beat that runs until the service group shuts down: the writer's probe and fsync, the snapshot publisher,
/// the alert tick.
public enum Periodic {
    /// Sleeps `pause(nil)` first, then after each run of `body` sleeps `pause(duration of that run)`, until graceful
    /// shutdown or cancellation; a shutdown cuts the sleep short.
    ///
    /// One shutdown watcher for the whole loop: one per sleep cost two child tasks and their wake-ups each beat.
    public static func run(pause: @escaping @Sendable (_ lastRun: Duration?) -> Duration, _ body: @escaping @Sendable () async -> Void)
        async
    {
        await cancelWhenGracefulShutdown {
            var lastRun: Duration?
            while !Task.isCancelled {
                try? await Task.sleep(for: pause(lastRun))
                if Task.isCancelled { break }
                let started = ContinuousClock.now
                await body()
                lastRun = ContinuousClock.now - started
            }
        }
    }

    /// `body` every `interval` until graceful shutdown or cancellation.
    public static func run(every interval: Duration, _ body: @escaping @Sendable () async -> Void) async {
        await run(pause: { _ in interval }, body)
    }
}
