import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

@Suite("MULTI/EXEC transactions")
struct RedisTransactionTests {
    @Test func repliesComeBackOnePerCommandInOrder() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let replies = try await client.transaction([
            ["SET", "tx1:text", "a"], ["INCR", "tx1:count"], ["GET", "tx1:text"], ["HSET", "tx1:hash", "f", "v"],
        ])
        #expect(replies == [.status("OK"), .integer(1), .string("a"), .integer(1)])
        #expect(try await client.transaction([]) == [])
    }

    @Test func aCommandFailingInsideExecThrowsNamingItButNotItsArguments() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        _ = try await client.command(["SET", "tx2:string", "x"])
        let error = await #expect(throws: RedisError.self) {
            _ = try await client.transaction([["INCR", "tx2:count"], ["HSET", "tx2:string", "field", "private-value"]])
        }
        let message = error?.message ?? ""
        // Redis's code first, so whether a retry may help is still read from it.
        #expect(message.hasPrefix("WRONGTYPE") && message.contains("HSET, command 2 of 2"), "\(message)")
        #expect(!message.contains("tx2:") && !message.contains("private-value"), "\(message)")
        #expect(error?.isRetryable == false)
        // Redis has no rollback: the command before the failing one ran, which is why the failure must be seen.
        #expect(try await client.command(["GET", "tx2:count"]) == .string("1"))
    }

    @Test func aCommandRefusedWhileQueuedThrowsAndNothingRuns() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let error = await #expect(throws: RedisError.self) {
            _ = try await client.transaction([["SET", "tx3:key", "v"], ["NOSUCHCOMMAND", "private-value"]])
        }
        let message = error?.message ?? ""
        #expect(message.contains("NOSUCHCOMMAND, command 2 of 2") && !message.contains("private-value"), "\(message)")
        #expect(try await client.command(["EXISTS", "tx3:key"]) == .integer(0))
    }

    @Test func anExecAbortedByAWatchedKeyThrows() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        // WATCH holds on the client's one connection, which the transaction then uses.
        _ = try await client.command(["WATCH", "tx4:key"])
        _ = try await redis.client().command(["SET", "tx4:key", "theirs"])
        let error = await #expect(throws: RedisError.self) { _ = try await client.transaction([["SET", "tx4:key", "mine"]]) }
        #expect(error?.message.contains("watched key") == true)
        #expect(try await client.command(["GET", "tx4:key"]) == .string("theirs"))
    }
}
