import DevSkyyTestSupport
import Foundation
import Testing

@testable import DevSkyyStore

/// Outbox folders whose files hold what no outbox writes: found by the outbox fuzz target (Fuzz/, scripts/fuzz).
@Suite("Disk outbox with hostile files")
struct OutboxHostileFilesTests {
    /// Segment numbers the ledger cannot count on from: the last one a UInt64 holds (the fuzzer's input), the one
    /// before it (the next new segment would overflow), and the first past the format's bound.
    static let hugeNumbers = ["18446744073709551615", "18446744073709551614", "4611686018427387905"]

    @Test(arguments: hugeNumbers)
    func acknowledgedPositionPastTheLastSegmentNumberIsIgnored(number: String) throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        try fill(folder, count: 3)
        folder.write("outbox/acknowledged", "\(number) 0\n")
        // Opening trapped on an arithmetic overflow. Now the position is malformed, so every record is replayed.
        let outbox = try Outbox(settings: settings(folder), logger: quiet)
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2, 3])
        try outbox.append(record(4))
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2, 3, 4])
    }

    @Test(arguments: hugeNumbers)
    func segmentFileWithAHugeNumberIsNotASegment(number: String) throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        try fill(folder, count: 2)
        let stray = "outbox/segment-\(number).log"
        try FileManager.default.copyItem(atPath: folder.file("outbox/segment-0000000001.log"), toPath: folder.file(stray))
        let outbox = try Outbox(settings: settings(folder), logger: quiet)
        try outbox.append(record(3))
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2, 3])
        // Left alone, as any other file in the folder.
        #expect(FileManager.default.fileExists(atPath: folder.file(stray)))
    }
}
