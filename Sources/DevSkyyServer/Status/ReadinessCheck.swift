import DevSkyyCore
import DevSkyyStore
import Foundation
import Glibc

/// One deployment readiness check, as `GET /api/v1/orchestration/deployment/readiness` reports it.
struct ReadinessCheck: Sendable, Equatable {
    var name: String
    var passed: Bool
    var detail: String
    /// What to do about a failed check; nil when it passed.
    var recommendation: String?

    var jsonObject: [String: Any] {
        ["name": name, "passed": passed, "detail": detail, "recommendation": recommendation ?? NSNull()]
    }

    /// The share of checks passed, 0–100; every check weighs the same.
    static func score(_ checks: [ReadinessCheck]) -> Int {
        guard !checks.isEmpty else { return 0 }
        return Int((Double(checks.filter(\.passed).count) * 100 / Double(checks.count)).rounded())
    }
}

/// The readiness checks: each does the real thing (a write to Redis, a file in the state directory).
enum Readiness {
    static func configuration(_ config: DaemonConfig?) -> ReadinessCheck {
        guard let config else {
            return .init(
                name: "config_valid", passed: true, detail: "the daemon is running, so its configuration was valid at start",
                recommendation: nil)
        }
        return .init(
            name: "config_valid", passed: true,
            detail:
                "validated at start: \(config.partnerships.count) partnerships, \(config.collectors.count) collectors, "
                + "\(config.thresholds.count) thresholds",
            recommendation: nil)
    }

    /// SET then DEL of `{prefix}:readiness` in one round trip: reachable is not enough, Redis must take writes.
    static func redis(_ client: RedisClient?, keys: RedisKeys) async -> ReadinessCheck {
        let name = "redis_writable"
        guard let client else {
            return .init(
                name: name, passed: false, detail: "this server was started without a Redis client",
                recommendation: "start the query server with a Redis client (a daemon wiring issue)")
        }
        let key = "\(keys.prefix):readiness"
        let started = ContinuousClock.now
        do {
            let replies = try await client.pipeline([
                ["SET", key, String(UInt64.random(in: .min ... .max), radix: 16), "PX", "30000"], ["DEL", key],
            ])
            let elapsed = ContinuousClock.now - started
            if let refusal = replies.compactMap(\.error).first {
                return .init(
                    name: name, passed: false, detail: "Redis refused the write: \(refusal)",
                    recommendation:
                        "make Redis accept writes: check that it is a primary (not a replica), has free memory, can save its "
                        + "data, and that the configured user may write \(keys.prefix):* keys")
            }
            let milliseconds = (elapsed.seconds * 10_000).rounded() / 10
            return .init(
                name: name, passed: true, detail: "SET and DEL of \(key) took \(milliseconds.compactText) ms", recommendation: nil)
        } catch {
            return .init(
                name: name, passed: false, detail: "Redis cannot be reached: \(error.message)",
                recommendation: "start Redis or correct redis.url (or DEVSKYY_REDIS_URL); samples wait in the outbox meanwhile")
        }
    }

    static func collectors(_ snapshot: Snapshot) -> ReadinessCheck {
        let name = "collectors_succeeded"
        guard !snapshot.collectors.isEmpty else {
            return .init(
                name: name, passed: true, detail: "no collectors are configured",
                recommendation: nil)
        }
        let never = snapshot.collectors.filter { $0.lastSuccess == nil }
        guard !never.isEmpty else {
            return .init(
                name: name, passed: true, detail: "all \(snapshot.collectors.count) collectors have succeeded at least once",
                recommendation: nil)
        }
        let listed = never.prefix(10).map { status in
            status.name + (status.lastError.map { " (\($0))" } ?? " (not run yet)")
        }
        return .init(
            name: name, passed: false,
            detail: "\(never.count) of \(snapshot.collectors.count) collectors have never succeeded: " + listed.joined(separator: "; "),
            recommendation: "check each failing collector's URL, credentials and metric paths with `devskyyctl test <collector>`")
    }

    /// The state directory takes a file, and has room for a full outbox (less what it already holds).
    static func stateDirectory(_ path: String?, neededBytes: Int) -> ReadinessCheck {
        let name = "state_dir_writable"
        guard let path else {
            return .init(
                name: name, passed: false, detail: "this server was started without the configuration",
                recommendation: "start the query server with the daemon configuration (a daemon wiring issue)")
        }
        let file = path + "/.readiness-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let fd = open(file, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            return .init(
                name: name, passed: false, detail: "cannot create a file in \(path): \(String(cString: strerror(errno)))",
                recommendation: "create \(path) and make it writable by the daemon's user (systemd: StateDirectory=devskyy)")
        }
        let written = "readiness\n".withCString { write(fd, $0, 10) }
        close(fd)
        unlink(file)
        guard written == 10 else {
            return .init(
                name: name, passed: false, detail: "cannot write to \(path)",
                recommendation: "free space on the file system holding \(path)")
        }
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else {
            return .init(
                name: name, passed: false, detail: "cannot read the free space of \(path)", recommendation: "check \(path)")
        }
        let free = Int(clamping: Checked.multiplying(Int64(clamping: stats.f_bavail), Int64(clamping: stats.f_frsize)))
        let detail = "wrote and removed a file in \(path); \(bytes(free)) free, \(bytes(neededBytes)) needed for a full outbox"
        guard free >= neededBytes else {
            return .init(
                name: name, passed: false, detail: detail,
                recommendation: "free space on the file system holding \(path), or lower outbox.max_size")
        }
        return .init(name: name, passed: true, detail: detail, recommendation: nil)
    }

    /// - Parameter listeners: nil when the server does not track them; the one answering is bound then.
    static func listeners(_ listeners: BoundListeners?) -> ReadinessCheck {
        let name = "listeners_bound"
        guard let listeners else {
            return .init(name: name, passed: true, detail: "the listener answering this request is bound", recommendation: nil)
        }
        let bound = listeners.descriptions
        let detail = "\(bound.count) of \(listeners.expected) listeners bound" + (bound.isEmpty ? "" : ": " + bound.joined(separator: ", "))
        guard bound.count >= listeners.expected else {
            return .init(
                name: name, passed: false, detail: detail,
                recommendation: "check listen.tcp and listen.unix: the address may be in use or the socket's folder missing")
        }
        return .init(name: name, passed: true, detail: detail, recommendation: nil)
    }

    private static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1_024 && unit < units.count - 1 {
            value /= 1_024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
