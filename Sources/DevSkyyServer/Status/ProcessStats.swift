import Foundation
import Glibc

/// This process's CPU time, memory and age, read from procfs at request time (a few microseconds).
struct ProcessStats: Sendable, Equatable {
    /// User plus system CPU time.
    var cpuSeconds: Double
    var rssBytes: Int
    var threads: Int?
    /// Since the process started; nil where /proc/uptime cannot be read.
    var uptimeSeconds: Double?

    /// nil off Linux, or when procfs is not mounted.
    static func current() -> ProcessStats? {
        guard let stat = ProcFile.read("/proc/self/stat"), let status = ProcFile.read("/proc/self/status") else { return nil }
        // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ')': state is field 3, utime 14, stime 15, starttime 22.
        guard fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]), let start = Double(fields[19]) else {
            return nil
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard ticks > 0 else { return nil }
        var stats = ProcessStats(cpuSeconds: (user + system) / ticks, rssBytes: 0)
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.first == "VmRSS:", parts.count >= 2, let kib = Int(parts[1]) { stats.rssBytes = kib * 1_024 }
            if parts.first == "Threads:", parts.count >= 2 { stats.threads = Int(parts[1]) }
        }
        if let uptime = ProcFile.read("/proc/uptime")?.split(separator: " ").first.flatMap({ Double($0) }) {
            stats.uptimeSeconds = max(0, uptime - start / ticks)
        }
        return stats
    }
}

/// Reads small procfs files, whose reported size is 0: read until end of file.
enum ProcFile {
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
