/// Walks the records of one segment file in order, checking each, reading ahead so small records cost no system call each.
struct SegmentReader {
    enum Step {
        case record(payload: [UInt8], end: Int)
        /// No more bytes before the limit.
        case finished
        /// The record at `offset` is cut short or fails its CRC.
        case damaged(reason: String)
    }

    private static let readAhead = 64 * 1_024

    private let file: OutboxFile
    private let limit: Int
    /// Where the next record starts.
    private(set) var offset: Int
    private var buffer: [UInt8] = []
    private var bufferStart = 0

    /// Reads from `start` up to `limit` (the file's size, or the end of its last known good record).
    init(_ file: OutboxFile, from start: Int, to limit: Int) {
        self.file = file
        self.offset = start
        self.limit = limit
    }

    mutating func next() throws(OutboxError) -> Step {
        guard offset < limit else { return .finished }
        guard limit - offset >= OutboxFormat.headerSize else { return .damaged(reason: "the header is cut short") }
        guard let header = OutboxFormat.Header(try bytes(at: offset, count: OutboxFormat.headerSize)) else {
            return .damaged(reason: "the header is cut short")
        }
        let payloadStart = offset + OutboxFormat.headerSize
        guard header.length <= limit - payloadStart else {
            return .damaged(reason: "the payload is cut short (\(header.length) bytes announced)")
        }
        let payload = try bytes(at: payloadStart, count: header.length)
        guard OutboxFormat.isIntact(header, payload: payload) else { return .damaged(reason: "the CRC-32 does not match") }
        offset = payloadStart + header.length
        return .record(payload: Array(payload), end: offset)
    }

    /// Bytes from the buffer, refilled from the file when they are not all in it; fewer only past the end of the file.
    private mutating func bytes(at position: Int, count: Int) throws(OutboxError) -> ArraySlice<UInt8> {
        if position < bufferStart || position + count > bufferStart + buffer.count {
            bufferStart = position
            buffer = try file.read(at: position, count: max(count, min(Self.readAhead, limit - position)))
        }
        let from = position - bufferStart
        return buffer[from..<min(from + count, buffer.count)]
    }
}
