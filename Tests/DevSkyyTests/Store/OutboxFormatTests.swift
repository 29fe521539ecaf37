import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import DevSkyyStore

@Suite("Disk outbox format")
struct OutboxFormatTests {
    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func recordBytesOnDiskAreAsDocumented() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        do {
            let outbox = try Outbox(settings: settings(folder), logger: quiet)
            try outbox.append(Array("hi".utf8))
        }
        // Length 2, then zlib's CRC-32 of the length bytes and payload (0x654038FB), both little-endian, then the payload.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.file("outbox/segment-0000000001.log"))))
        #expect(bytes == [2, 0, 0, 0, 0xFB, 0x38, 0x40, 0x65, 0x68, 0x69])
    }

    @Test func acknowledgedPositionFileIsText() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let outbox = try Outbox(settings: settings(folder), logger: quiet)
        for i in 1...3 { try outbox.append(record(i)) }
        try outbox.acknowledge(through: try outbox.oldest(limit: 2)[1])
        #expect(try String(contentsOfFile: folder.file("outbox/acknowledged"), encoding: .utf8) == "1 200\n")
    }
}
