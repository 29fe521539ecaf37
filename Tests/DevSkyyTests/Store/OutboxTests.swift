import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import DevSkyyStore

@Suite("Disk outbox")
struct OutboxTests {
    @Test func appendsThenReadsInOrderWithoutConsuming() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let outbox = try Outbox(settings: settings(folder), logger: quiet)
        for i in 1...5 { try outbox.append(record(i)) }
        #expect(numbers(try outbox.oldest(limit: 3)) == [1, 2, 3])
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2, 3, 4, 5])
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2, 3, 4, 5], "reading consumes nothing")
        #expect(try outbox.oldest(limit: 0).isEmpty)
        let mode = (try FileManager.default.attributesOfItem(atPath: folder.file("outbox"))[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o700, "the folder is created private")
    }

    @Test func acknowledgedRecordsStayDoneAfterARestart() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        do {
            let outbox = try Outbox(settings: settings(folder), logger: quiet)
            for i in 1...5 { try outbox.append(record(i)) }
            let first = try outbox.oldest(limit: 2)
            try outbox.acknowledge(through: first[1])
            #expect(numbers(try outbox.oldest(limit: 10)) == [3, 4, 5])
            try outbox.acknowledge(through: first[0])
            #expect(numbers(try outbox.oldest(limit: 10)) == [3, 4, 5], "acknowledging an older record again changes nothing")
        }
        let reopened = try Outbox(settings: settings(folder), logger: quiet)
        #expect(numbers(try reopened.oldest(limit: 10)) == [3, 4, 5])
        #expect(reopened.stats.records == 3)
    }

    @Test func restartReplaysEverythingUnacknowledgedInOrderBeforeNewRecords() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        do {
            let outbox = try Outbox(settings: settings(folder, segmentBytes: 1_000), logger: quiet)
            for i in 1...50 { try outbox.append(record(i)) }
        }
        #expect(segmentFiles(folder).count == 5)
        let reopened = try Outbox(settings: settings(folder, segmentBytes: 1_000), logger: quiet)
        try reopened.append(record(51))
        #expect(numbers(try reopened.oldest(limit: 100)) == Array(1...51))
        #expect(reopened.stats.records == 51)
    }

    @Test func segmentsRollAndGoOnceAcknowledged() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let outbox = try Outbox(settings: settings(folder, segmentBytes: 300), logger: quiet)
        for i in 1...10 { try outbox.append(record(i)) }
        #expect(
            segmentFiles(folder) == [
                "segment-0000000001.log", "segment-0000000002.log", "segment-0000000003.log", "segment-0000000004.log",
            ]
        )
        let records = try outbox.oldest(limit: 10)
        try outbox.acknowledge(through: records[6])  // the first record of segment 3
        #expect(segmentFiles(folder) == ["segment-0000000003.log", "segment-0000000004.log"])
        #expect(numbers(try outbox.oldest(limit: 10)) == [8, 9, 10])
        try outbox.acknowledge(through: records[9])
        #expect(segmentFiles(folder) == ["segment-0000000004.log"], "the open segment stays for the next appends")
        #expect(outbox.isEmpty)
        try outbox.append([UInt8](repeating: 7, count: 250))  // too big to follow record 10 in segment 4
        #expect(try outbox.oldest(limit: 10).map(\.payload) == [[UInt8](repeating: 7, count: 250)])
        #expect(segmentFiles(folder) == ["segment-0000000005.log"], "a new segment starts; the emptied one goes")
    }

    @Test func dropOldestDeletesTheOldestSegmentAndKeepsTheNewest() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let limits = settings(folder, maxBytes: 1_000, segmentBytes: 300, overflow: .dropOldest)
        do {
            let outbox = try Outbox(settings: limits, logger: quiet)
            for i in 1...10 { #expect(try outbox.append(record(i))) }
            #expect(outbox.stats.droppedTotal == 0, "exactly maxBytes fits")
            #expect(try outbox.append(record(11)))
            #expect(numbers(try outbox.oldest(limit: 20)) == Array(4...11))
            #expect(outbox.stats.droppedTotal == 3)
            #expect(outbox.stats.bytes == 800)
            #expect(!segmentFiles(folder).contains("segment-0000000001.log"))
        }
        let reopened = try Outbox(settings: limits, logger: quiet)
        #expect(numbers(try reopened.oldest(limit: 20)) == Array(4...11))
    }

    @Test func dropOldestInsideTheOpenSegmentDropsRecordByRecordAndPersists() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let limits = settings(folder, maxBytes: 500, segmentBytes: 1 << 20, overflow: .dropOldest)
        do {
            let outbox = try Outbox(settings: limits, logger: quiet)
            for i in 1...7 { try outbox.append(record(i)) }
            #expect(numbers(try outbox.oldest(limit: 10)) == [3, 4, 5, 6, 7])
            #expect(outbox.stats == stats(records: 5, bytes: 500, appended: 7, dropped: 2))
        }
        let reopened = try Outbox(settings: limits, logger: quiet)
        #expect(numbers(try reopened.oldest(limit: 10)) == [3, 4, 5, 6, 7], "dropped records do not come back after a restart")
    }

    @Test func dropNewestRefusesTheNewRecordAndCountsIt() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let outbox = try Outbox(settings: settings(folder, maxBytes: 500, segmentBytes: 300, overflow: .dropNewest), logger: quiet)
        for i in 1...5 { #expect(try outbox.append(record(i))) }
        #expect(try outbox.append(record(6)) == false)
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2, 3, 4, 5])
        #expect(outbox.stats == stats(records: 5, bytes: 500, appended: 5, dropped: 1))
        try outbox.acknowledge(through: try outbox.oldest(limit: 1)[0])
        #expect(try outbox.append(record(7)), "room again once acknowledged")
        #expect(numbers(try outbox.oldest(limit: 10)) == [2, 3, 4, 5, 7])
    }

    @Test func truncatedLastRecordIsCutOffWithAWarning() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        try fill(folder, count: 3)
        let segment = folder.file("outbox/segment-0000000001.log")
        try truncate(segment, to: 250)
        let log = LogCapture()
        do {
            let outbox = try Outbox(settings: settings(folder), logger: log.logger)
            #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2])
            #expect(try size(segment) == 200, "the file ends at the last good record")
            #expect(log.warnings.count == 1)
            #expect(log.warnings.first?.contains(segment) == true)
            #expect(log.warnings.first?.contains("offset 200") == true)
            #expect(log.warnings.first?.contains("50 bytes discarded") == true)
            try outbox.append(record(4))
        }
        let reopened = try Outbox(settings: settings(folder), logger: log.logger)
        #expect(numbers(try reopened.oldest(limit: 10)) == [1, 2, 4], "appends go on from the last good record")
        #expect(log.warnings.count == 1, "nothing left to repair")
    }

    @Test func flippedByteInTheLastPayloadIsCutOffWithAWarning() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        try fill(folder, count: 3)
        let segment = folder.file("outbox/segment-0000000001.log")
        try flipByte(segment, at: 250)
        let log = LogCapture()
        let outbox = try Outbox(settings: settings(folder), logger: log.logger)
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2])
        #expect(try size(segment) == 200)
        #expect(log.warnings.count == 1)
        #expect(log.warnings.first?.contains(segment) == true)
        #expect(log.warnings.first?.contains("offset 200") == true)
        #expect(log.warnings.first?.contains("100 bytes discarded") == true)
    }

    @Test func zeroFilledTailIsNotReadAsRecords() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        try fill(folder, count: 2)
        let segment = folder.file("outbox/segment-0000000001.log")
        try truncate(segment, to: 264)  // as a crash can leave it: the size grew, the data never came
        let log = LogCapture()
        let outbox = try Outbox(settings: settings(folder), logger: log.logger)
        #expect(numbers(try outbox.oldest(limit: 10)) == [1, 2])
        #expect(try size(segment) == 200)
        #expect(log.warnings.count == 1)
    }

    @Test func damageInAnOlderSegmentSkipsItsRestButKeepsLaterSegments() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        try fill(folder, count: 9, segmentBytes: 300)
        let first = folder.file("outbox/segment-0000000001.log")
        try flipByte(first, at: 150)  // inside record 2
        let log = LogCapture()
        let outbox = try Outbox(settings: settings(folder, segmentBytes: 300), logger: log.logger)
        #expect(numbers(try outbox.oldest(limit: 20)) == [1, 4, 5, 6, 7, 8, 9])
        #expect(outbox.stats.records == 7)
        #expect(try size(first) == 300, "an older segment is left as it is")
        #expect(log.warnings.count == 1)
        #expect(log.warnings.first?.contains(first) == true)
        #expect(log.warnings.first?.contains("offset 100") == true)
        let all = try outbox.oldest(limit: 20)
        try outbox.acknowledge(through: all[0])
        #expect(!segmentFiles(folder).contains("segment-0000000001.log"), "done once its good records are")
        #expect(numbers(try outbox.oldest(limit: 20)) == [4, 5, 6, 7, 8, 9])
    }

    @Test func damageFoundWhileRunningSkipsTheRestOfThatSegment() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let log = LogCapture()
        let outbox = try Outbox(settings: settings(folder, segmentBytes: 300), logger: log.logger)
        for i in 1...6 { try outbox.append(record(i)) }
        try flipByte(folder.file("outbox/segment-0000000001.log"), at: 250)  // inside record 3
        #expect(numbers(try outbox.oldest(limit: 20)) == [1, 2, 4, 5, 6])
        #expect(outbox.stats.droppedTotal == 1)
        #expect(outbox.stats.records == 5)
        #expect(log.warnings.count == 1)
        try outbox.acknowledge(through: try outbox.oldest(limit: 20)[4])
        #expect(outbox.stats == stats(records: 0, bytes: 0, appended: 6, replayed: 5, dropped: 1), "the lost record is not replayed")
    }

    @Test func recordLargerThanTheBoundIsRefused() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let outbox = try Outbox(settings: settings(folder, maxBytes: 500), logger: quiet)
        #expect {
            try outbox.append([UInt8](repeating: 1, count: 493))
        } throws: { error in
            (error as? OutboxError)?.isRecordTooLarge == true
        }
        #expect(outbox.isEmpty)
        #expect(try outbox.append([UInt8](repeating: 1, count: 492)), "a record of exactly maxBytes fits")
        #expect(outbox.stats.bytes == 500)
    }

    @Test func statsFollowAppendsAcknowledgementsAndRestarts() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        do {
            let outbox = try Outbox(settings: settings(folder, segmentBytes: 300), logger: quiet)
            #expect(outbox.stats == stats(records: 0, bytes: 0, appended: 0, dropped: 0))
            #expect(outbox.isEmpty)
            for i in 1...4 { try outbox.append(record(i)) }
            try outbox.append([1, 2, 3])
            #expect(outbox.stats == stats(records: 5, bytes: 411, appended: 5, dropped: 0))
            try outbox.acknowledge(through: try outbox.oldest(limit: 3)[2])
            #expect(outbox.stats == stats(records: 2, bytes: 111, appended: 5, replayed: 3, dropped: 0))
            try outbox.sync()
        }
        let reopened = try Outbox(settings: settings(folder, segmentBytes: 300), logger: quiet)
        #expect(reopened.stats == stats(records: 2, bytes: 111, appended: 0, dropped: 0), "totals count since opening")
        #expect(!reopened.isEmpty)
    }

    @Test func fsyncAlwaysKeepsTheSameBehaviour() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        do {
            let outbox = try Outbox(settings: settings(folder, segmentBytes: 300, fsync: .always), logger: quiet)
            for i in 1...7 { try outbox.append(record(i)) }
            try outbox.acknowledge(through: try outbox.oldest(limit: 4)[3])
        }
        let reopened = try Outbox(settings: settings(folder, segmentBytes: 300, fsync: .always), logger: quiet)
        #expect(numbers(try reopened.oldest(limit: 10)) == [5, 6, 7])
    }

    @Test func aSecondOutboxOnTheSameFolderIsRefused() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let outbox = try Outbox(settings: settings(folder), logger: quiet)
        #expect(throws: OutboxError.self) { try Outbox(settings: settings(folder), logger: quiet) }
        _ = outbox.isEmpty
    }

    @Test func unusableFolderIsAnErrorNamingIt() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        folder.write("outbox", "not a folder")
        #expect {
            try Outbox(settings: settings(folder), logger: quiet)
        } throws: { error in
            (error as? OutboxError)?.message.contains(folder.file("outbox")) == true
        }
    }

    @Test func recordFromAnotherOutboxIsRefused() throws {
        let folder = TemporaryFolder("outbox")
        defer { folder.remove() }
        let other = TemporaryFolder("outbox")
        defer { other.remove() }
        let outbox = try Outbox(settings: settings(folder), logger: quiet)
        let elsewhere = try Outbox(settings: settings(other), logger: quiet)
        for i in 1...3 { try elsewhere.append(record(i)) }
        try outbox.append(record(1))
        // Same segment, offset and sequence number as the record in `outbox`: only its origin differs.
        #expect(throws: OutboxError.self) { try outbox.acknowledge(through: try elsewhere.oldest(limit: 1)[0]) }
        #expect(numbers(try outbox.oldest(limit: 10)) == [1])
    }
}
