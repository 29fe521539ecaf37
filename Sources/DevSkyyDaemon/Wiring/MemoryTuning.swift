import CMalloc
import Foundation

/// Allocator settings for a long-running daemon. Each applies unless the operator set glibc's own
/// environment variable for it (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`).
public enum MemoryTuning {
    /// Call it first thing in `main`, before other threads allocate.
    public static func apply(environment: [String: String]) {
        // glibc gives busy threads their own arena (up to eight per core), and each keeps the high-water
        // mark of its own short-lived garbage: with a thousand collectors (bench/collect) two arenas held
        // 3 to 10 MiB less resident memory than the default.
        if environment["MALLOC_ARENA_MAX"] == nil { _ = devskyy_malloc_limit_arenas(2) }
        // glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after which
        // write batches and pipelines come from the arenas and their pages stay resident. A fixed 64 KiB
        // threshold returns them to the kernel on free, and a 128 KiB trim threshold gives back the top
        // of a heap soon: at 5,000 scrapes/s resident memory went from 61–69 MiB to 55–61 MiB.
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = devskyy_malloc_mmap_threshold(64 * 1024) }
        if environment["MALLOC_TRIM_THRESHOLD_"] == nil { _ = devskyy_malloc_trim_threshold(128 * 1024) }
    }
}

extension MemoryTuning {
    /// Hands back the pages of the daemon's own executable that only starting needed (relocations, configuration
    /// parsing, the code run once), so the resident set is what the daemon runs from then on.
    ///
    /// The static release binary is 34 MiB of code and read-only data; starting touches pages all over it and the
    /// kernel maps them 64 KiB at a time, leaving about 21 MiB of it resident although the steady work runs in a
    /// fraction of that. Only read-only file-backed mappings are released: nothing is lost, a page needed again
    /// is mapped back from the page cache on its next use.
    /// - Returns: the number of bytes whose pages were offered back (0 when the kernel refuses or on other systems).
    @discardableResult
    public static func releaseStartupPages() -> Int {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        else { return 0 }
        var released = 0
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[5] == executable, !fields[1].contains("w") else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt(String($0), radix: 16) }
            guard bounds.count == 2, bounds[1] > bounds[0], let start = UnsafeMutableRawPointer(bitPattern: bounds[0]) else {
                continue
            }
            if devskyy_page_out(start, Int(bounds[1] - bounds[0])) == 0 { released += Int(bounds[1] - bounds[0]) }
        }
        return released
    }
}
