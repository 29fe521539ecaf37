/// The outbox's files, byte for byte; other tools may read them, so this is their specification.
///
/// The folder holds:
/// - `segment-NNNNNNNNNN.log`, NNNNNNNNNN the segment number in ten decimal digits from 0000000001 (more digits past
///   9999999999, up to `maxSegmentNumber`): the records, with no file header. Numbers only grow, so name order is
///   append order. Each record is
///   - bytes 0..<4: the payload length `n`, UInt32 little-endian;
///   - bytes 4..<8: a CRC-32 (zlib's: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF),
///     UInt32 little-endian, over bytes 0..<4 followed by the payload. The length is covered so that a zero-filled
///     tail, which a crash can leave, never reads as records;
///   - bytes 8..<8+n: the payload, opaque to the outbox.
///
///   A reader stops at the first record that is cut short or fails its CRC; the rest of that segment is unusable.
/// - `acknowledged`: ASCII `<segment number> <byte offset>\n` in decimal, e.g. `3 1024\n`. Every record of a lower
///   numbered segment, and every record of that segment before the offset, is done (sent, or dropped to respect the
///   size bound); the first record not done starts at the offset. A missing file means nothing is done. Replaced
///   atomically: written to `acknowledged.tmp`, then renamed.
/// - `lock`: empty; the owning process holds an exclusive `flock` on it.
enum OutboxFormat {
    static let headerSize = 8
    static let positionFile = "acknowledged"
    static let lockFile = "lock"
    /// Written and removed by `Outbox.recheck()` to learn whether the folder takes writes again.
    static let probeFile = "write-check"
    /// The largest segment number read from disk, in a file name or in `acknowledged`: past any outbox's life (a new
    /// segment every microsecond for 100,000 years), and far enough below `UInt64.max` that counting on from it never
    /// overflows. A larger one is damage or a hand edit, read as no segment and as a malformed position.
    static let maxSegmentNumber: UInt64 = 1 << 62

    /// A record's header, as read from disk.
    struct Header: Equatable {
        var length: Int
        var checksum: UInt32

        init?(_ bytes: some Collection<UInt8>) {
            guard bytes.count >= OutboxFormat.headerSize else { return nil }
            length = Int(OutboxFormat.uint32(bytes.prefix(4)))
            checksum = OutboxFormat.uint32(bytes.dropFirst(4).prefix(4))
        }
    }

    /// The bytes of one record: header, then payload.
    static func record(_ payload: [UInt8]) -> [UInt8] {
        var bytes = littleEndian(UInt32(payload.count))
        bytes += littleEndian(checksum(lengthBytes: bytes, payload: payload))
        bytes += payload
        return bytes
    }

    /// Whether a payload read from disk is the one its header describes.
    static func isIntact(_ header: Header, payload: some Collection<UInt8>) -> Bool {
        payload.count == header.length && checksum(lengthBytes: littleEndian(UInt32(header.length)), payload: payload) == header.checksum
    }

    static func segmentName(_ number: UInt64) -> String {
        let digits = String(number)
        return "segment-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + ".log"
    }

    /// The segment number in a file name, or nil for any other file.
    static func segmentNumber(_ name: String) -> UInt64? {
        guard name.hasPrefix("segment-"), name.hasSuffix(".log") else { return nil }
        let digits = name.dropFirst("segment-".count).dropLast(".log".count)
        guard digits.count >= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = UInt64(digits),
            number <= maxSegmentNumber
        else { return nil }
        return number
    }

    static func position(segment: UInt64, offset: Int) -> [UInt8] {
        Array("\(segment) \(offset)\n".utf8)
    }

    /// The acknowledged position in the `acknowledged` file, or nil when it is malformed.
    static func position(_ bytes: [UInt8]) -> (segment: UInt64, offset: Int)? {
        guard bytes.last == UInt8(ascii: "\n") else { return nil }
        let fields = String(decoding: bytes.dropLast(), as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, let segment = UInt64(fields[0]), segment <= maxSegmentNumber, let offset = Int(fields[1]), offset >= 0
        else { return nil }
        return (segment, offset)
    }

    private static func checksum(lengthBytes: [UInt8], payload: some Collection<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(lengthBytes)
        crc.update(payload)
        return crc.value
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [
            UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 24),
        ]
    }

    private static func uint32(_ bytes: some Collection<UInt8>) -> UInt32 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
