extension RedisClient {
    /// Runs the commands as one MULTI/EXEC transaction and returns EXEC's replies, one per command, in order.
    ///
    /// Sent as one pipeline, so no other caller's command can land between MULTI and EXEC on the shared connection.
    /// - Throws: `RedisError` when a command is refused while queued, EXEC aborts, or a command fails inside EXEC
    ///   (Redis runs the others anyway, so this is the only place such a failure shows). The message names the
    ///   command, never its arguments, which may hold data.
    public func transaction(_ commands: [[String]]) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        // One reply per command sent: MULTI's, one QUEUED per command, then EXEC's.
        let replies = try await pipeline([["MULTI"]] + commands + [["EXEC"]])
        if let refused = replies[0].error { throw .reply("\(Self.withoutArguments(refused)) (MULTI)") }
        for (index, command) in commands.enumerated() where replies[index + 1] != .status("QUEUED") {
            throw Self.failure(replies[index + 1].error ?? "not queued", command: command, index, of: commands.count)
        }
        switch replies[commands.count + 1] {
        case .array(let results) where results.count == commands.count:
            for (index, result) in results.enumerated() {
                if let message = result.error { throw Self.failure(message, command: commands[index], index, of: commands.count) }
            }
            return results
        case .null:
            throw .reply("EXEC aborted the transaction: a watched key changed")
        case .error(let message):
            throw .reply("\(Self.withoutArguments(message)) (EXEC)")
        default:
            throw .reply("EXEC: unexpected reply to \(commands.count) commands")
        }
    }

    /// Redis's words first, so `RedisError.isRetryable` still reads their code (LOADING, OOM, READONLY, …).
    private static func failure(_ message: String, command: [String], _ index: Int, of count: Int) -> RedisError {
        let name = command.first?.uppercased() ?? "(empty)"
        return .reply("\(withoutArguments(message)) (\(name), command \(index + 1) of \(count) in a transaction)")
    }

    /// Redis quotes the arguments of a command it does not know; they may hold data, so they are cut off.
    private static func withoutArguments(_ message: String) -> String {
        guard let quoted = message.range(of: ", with args beginning with:") else { return message }
        return String(message[..<quoted.lowerBound])
    }
}
