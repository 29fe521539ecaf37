import DevSkyyTestSupport
import Dispatch
import HummingbirdBcrypt
import NIOPosix
import Testing

@testable import DevSkyyAuth

@Suite("Passwords")
struct PasswordHasherTests {
    @Test func hashesVerifyTheirPasswordOnly() async throws {
        let hasher = try await PasswordHasher(dummyCost: 10)
        let hash = try await hasher.hash("correct horse battery staple", cost: 10)
        #expect(hash.hasPrefix("$2b$10$") && PasswordHasher.cost(of: hash) == 10)
        #expect(try await hasher.verify("correct horse battery staple", against: hash))
        #expect(try await !hasher.verify("correct horse battery stapl", against: hash))
        #expect(try await !hasher.verify("", against: hash))
        #expect(try await !hasher.verify("correct horse battery staple", against: "not a bcrypt hash"))
    }

    @Test func unknownUsersCostABcryptVerificationOfTheSameCost() async throws {
        let hasher = try await PasswordHasher(dummyCost: 11)
        let before = hasher.verifications
        #expect(try await !hasher.verify("anything", against: nil))
        #expect(hasher.verifications == before + 1)
        // Refused passwords and unusable hashes also do the work before answering.
        #expect(try await !hasher.verify("a\u{0}b", against: nil))
        #expect(try await !hasher.verify(String(repeating: "p", count: 73), against: Bcrypt.hash("x", cost: 10)))
        #expect(hasher.verifications == before + 3)
    }

    @Test func passwordsBcryptWouldTruncateAreRefused() async throws {
        let hasher = try await PasswordHasher(dummyCost: 10)
        let long = String(repeating: "p", count: 72)
        let hash = try await hasher.hash(long, cost: 10)
        #expect(try await hasher.verify(long, against: hash))
        // bcrypt reads 72 bytes and stops at NUL: without these checks both would match.
        #expect(try await !hasher.verify(long + "extra", against: hash))
        let short = try await hasher.hash("abc", cost: 10)
        #expect(try await !hasher.verify("abc\u{0}def", against: short))
        await #expect(throws: PasswordHasherError.self) { try await hasher.hash(long + "x") }
        await #expect(throws: PasswordHasherError.self) { try await hasher.hash("abc", cost: 4) }
    }

    @Test func costsAreReadFromHashes() {
        #expect(PasswordHasher.cost(of: Bcrypt.hash("x", cost: 10)) == 10)
        #expect(PasswordHasher.cost(of: "$2a$12$" + String(repeating: "a", count: 53)) == 12)
        #expect(PasswordHasher.cost(of: "$2b$04$" + String(repeating: "a", count: 53)) == nil)
        #expect(PasswordHasher.cost(of: "$2b$31$" + String(repeating: "a", count: 53)) == nil)
        #expect(PasswordHasher.cost(of: "$2y$12$" + String(repeating: "a", count: 53)) == nil)
        #expect(PasswordHasher.cost(of: "plain") == nil)
    }

    @Test func verificationsBeyondTheBoundAreRefusedAtOnce() async throws {
        // One pool thread, held by a blocked job: verifications queue behind it until the bound is reached.
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let hasher = try await PasswordHasher(dummyCost: 10, pool: pool, maximumPending: 2)
        let hash = Bcrypt.hash("pw", cost: 10)
        let gate = DispatchSemaphore(value: 0)
        pool.submit { _ in gate.wait() }

        async let first = hasher.verify("pw", against: hash)
        async let second = hasher.verify("wrong", against: hash)
        #expect(await eventually { hasher.inProgress == 2 })
        await #expect(throws: PasswordHasherError.busy) { try await hasher.verify("pw", against: nil) }
        gate.signal()
        #expect(try await first)
        #expect(try await !second)
        #expect(hasher.inProgress == 0)
        try await pool.shutdownGracefully()
    }
}
