import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix
import Synchronization

/// bcrypt for users' passwords and OAuth clients' secrets, run off Swift's cooperative threads.
///
/// A verification costs 50-300 ms of CPU (cost 10-12), which would stall every task sharing a cooperative thread, so
/// it runs on a `NIOThreadPool` (at most its thread count at once). At most `maximumPending` wait or run at a time;
/// past that `verify` throws `PasswordHasherError.busy` at once rather than queueing without bound behind a login flood.
/// Unknown usernames are checked against a dummy hash of the same cost, so an answer's time does not tell whether the
/// username exists.
public final class PasswordHasher: Sendable {
    /// The lowest cost accepted in the configuration and used by `hash`.
    public static let minimumCost: UInt8 = 10
    /// Above this a single verification takes seconds: refused, as a configuration mistake or an attack on the CPU.
    public static let maximumCost: UInt8 = 16
    /// bcrypt reads at most 72 bytes of a password (and stops at a NUL); longer or NUL-holding passwords are refused,
    /// so that no two different passwords verify against the same hash.
    public static let maximumPasswordBytes = 72
    public static let defaultMaximumPending = 64

    private let pool: NIOThreadPool
    private let dummyHash: String
    private let maximumPending: Int
    private let pending = NIOLockedValueBox(0)
    private let runs = Atomic<Int>(0)

    /// - Parameters:
    ///   - dummyCost: the cost of the configured hashes (see `cost(of:)`), so unknown and known usernames cost the same.
    ///   - pool: where bcrypt runs; the shared singleton by default, whose threads are as many as the cores.
    public init(dummyCost: UInt8 = 12, pool: NIOThreadPool = .singleton, maximumPending: Int = PasswordHasher.defaultMaximumPending)
        async throws
    {
        let cost = min(max(dummyCost, Self.minimumCost), Self.maximumCost)
        self.pool = pool
        self.maximumPending = max(1, maximumPending)
        let random = RandomID.make()
        dummyHash = try await pool.runIfActive { Bcrypt.hash(random, cost: cost) }
    }

    /// A bcrypt hash of `password` (`$2b$`, with a random salt), for the configuration, computed on the pool.
    public func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        try await pool.runIfActive { try Self.makeHash(password, cost: cost) }
    }

    /// The same, on the calling thread: for `devskyyctl hash-password`, which has nothing else to run.
    public static func makeHash(_ password: String, cost: UInt8 = 12) throws(PasswordHasherError) -> String {
        guard isUsable(password) else { throw .unusablePassword }
        guard (minimumCost...maximumCost).contains(cost) else { throw .unusableCost }
        return Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`. With `hash` nil (no such user) it does the same work against the dummy hash
    /// and answers false; an unusable password or hash also answers false after the same work.
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let usable = Self.isUsable(password) && hash.map { Self.cost(of: $0) != nil } ?? true
        let target = usable ? hash ?? dummyHash : dummyHash
        let candidate = usable ? password : ""
        try claimSlot()
        defer { pending.withLockedValue { $0 -= 1 } }
        let matched = try await pool.runIfActive { Bcrypt.verify(candidate, hash: target) }
        runs.add(1, ordering: .relaxed)
        return matched && usable && hash != nil
    }

    /// How many verifications are waiting or running now.
    public var inProgress: Int { pending.withLockedValue { $0 } }

    /// How many bcrypt verifications have run, dummy ones included.
    public var verifications: Int { runs.load(ordering: .relaxed) }

    /// The cost of a `$2a$`/`$2b$` hash of the standard length, if it is one within the accepted costs; nil otherwise.
    public static func cost(of hash: String) -> UInt8? {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            bytes[2] == UInt8(ascii: "a") || bytes[2] == UInt8(ascii: "b"), bytes[3] == UInt8(ascii: "$"),
            bytes[6] == UInt8(ascii: "$"), let cost = UInt8(String(decoding: bytes[4...5], as: UTF8.self)),
            (minimumCost...maximumCost).contains(cost)
        else { return nil }
        return cost
    }

    static func isUsable(_ password: String) -> Bool {
        !password.isEmpty && password.utf8.count <= maximumPasswordBytes && !password.utf8.contains(0)
    }

    private func claimSlot() throws {
        let claimed = pending.withLockedValue { count in
            guard count < maximumPending else { return false }
            count += 1
            return true
        }
        guard claimed else { throw PasswordHasherError.busy }
    }
}

public enum PasswordHasherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Too many verifications already waiting: the caller answers 503 or 429 and logs it.
    case busy
    /// Empty, longer than 72 bytes, or holding a NUL.
    case unusablePassword
    case unusableCost

    public var description: String {
        switch self {
        case .busy: "too many password verifications in progress"
        case .unusablePassword: "a password must be 1 to \(PasswordHasher.maximumPasswordBytes) bytes with no NUL"
        case .unusableCost: "bcrypt cost must be \(PasswordHasher.minimumCost) to \(PasswordHasher.maximumCost)"
        }
    }
}
