/// CRC-32 as in zlib, gzip and PNG (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF).
///
/// Written out here so the outbox format needs no C library; `CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926`.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    private var state: UInt32 = 0xFFFF_FFFF

    init() {}

    /// Feeds more bytes; the checksum of several pieces equals that of their concatenation.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = state
        Self.table.withUnsafeBufferPointer { table in
            // Arrays and slices go through their buffer: iterating a generic sequence is slow in debug builds.
            let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                for byte in buffer { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
            if done == nil {
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
        }
        state = crc
    }

    var value: UInt32 { state ^ 0xFFFF_FFFF }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
