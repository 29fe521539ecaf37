import DevSkyyCore

/// Sample batches as bytes, for the disk outbox.
///
/// Layout: a format byte (1), the sample count, then per sample: partnership, metric, the label count and
/// each label's name and value, the timestamp (unix ms, 8 bytes little-endian) and the value (IEEE 754
/// binary64 bits, 8 bytes little-endian). Counts and string lengths are LEB128 varints; strings are UTF-8.
public enum SampleBatchCodec {
    static let format: UInt8 = 1

    public static func encode(_ samples: [Sample]) -> [UInt8] {
        var bytes: [UInt8] = [format]
        bytes.reserveCapacity(samples.count * 64)
        appendVarint(UInt64(samples.count), to: &bytes)
        for sample in samples {
            appendString(sample.partnership, to: &bytes)
            appendString(sample.metric, to: &bytes)
            appendVarint(UInt64(sample.labels.count), to: &bytes)
            for label in sample.labels {
                appendString(label.name, to: &bytes)
                appendString(label.value, to: &bytes)
            }
            appendFixed(UInt64(bitPattern: sample.timestamp), to: &bytes)
            appendFixed(sample.value.bitPattern, to: &bytes)
        }
        return bytes
    }

    /// The samples, or nil when the bytes are not a batch in this format.
    public static func decode(_ bytes: [UInt8]) -> [Sample]? {
        var reader = Reader(bytes: bytes)
        guard reader.byte() == format, let count = reader.varint(), count <= UInt64(bytes.count) else { return nil }
        var samples: [Sample] = []
        samples.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let partnership = reader.string(), let metric = reader.string(), let labelCount = reader.varint(),
                labelCount <= UInt64(bytes.count)
            else { return nil }
            var labels: [Sample.Label] = []
            for _ in 0..<labelCount {
                guard let name = reader.string(), let value = reader.string() else { return nil }
                labels.append(.init(name, value))
            }
            guard let timestamp = reader.fixed(), let value = reader.fixed() else { return nil }
            samples.append(
                Sample(
                    partnership: partnership, metric: metric, labels: labels, timestamp: Int64(bitPattern: timestamp),
                    value: Double(bitPattern: value)
                )
            )
        }
        return reader.atEnd ? samples : nil
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        appendVarint(UInt64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendFixed(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard let byte = byte() else { return nil }
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            return nil
        }

        mutating func string() -> String? {
            guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
            defer { offset += Int(length) }
            return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
        }

        mutating func fixed() -> UInt64? {
            guard bytes.count - offset >= 8 else { return nil }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
            offset += 8
            return value
        }
    }
}
