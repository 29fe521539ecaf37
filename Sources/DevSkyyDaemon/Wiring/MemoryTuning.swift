import CMalloc

/// Allocator settings for a long-running daemon.
public enum MemoryTuning {
    /// Caps glibc's malloc arenas at two unless the operator set `MALLOC_ARENA_MAX`.
    ///
    /// glibc gives busy threads their own arena (up to eight per core), and each keeps the high-water
    /// mark of its own short-lived garbage: with a thousand collectors (bench/collect) two arenas held
    /// 3 to 10 MiB less resident memory than the default. Call it first thing in `main`, before other
    /// threads allocate.
    public static func limitArenas(environment: [String: String]) {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = devskyy_malloc_limit_arenas(2)
    }
}
