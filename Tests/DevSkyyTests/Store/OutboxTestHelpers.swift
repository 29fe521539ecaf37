import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import DevSkyyStore

// Shared by the outbox suites.

let quiet = Logger(label: "outbox-test", factory: { _ in SwiftLogNoOpLogHandler() })

func settings(
    _ folder: TemporaryFolder, maxBytes: Int = 1 << 20, segmentBytes: Int = 1 << 16,
    overflow: OutboxSettings.OverflowPolicy = .dropOldest, fsync: OutboxSettings.FsyncPolicy = .never
) -> OutboxSettings {
    OutboxSettings(directory: folder.file("outbox"), maxBytes: maxBytes, segmentBytes: segmentBytes, overflow: overflow, fsync: fsync)
}

/// A 92-byte payload, so each record takes exactly 100 bytes on disk: `#<n>` padded with dots.
func record(_ number: Int) -> [UInt8] {
    let text = Array("#\(number)".utf8)
    return text + [UInt8](repeating: UInt8(ascii: "."), count: 92 - text.count)
}

func numbers(_ records: [OutboxRecord]) -> [Int] {
    records.map { Int(String(decoding: $0.payload.dropFirst().prefix { $0 != UInt8(ascii: ".") }, as: UTF8.self)) ?? -1 }
}

func stats(records: Int, bytes: Int, appended: Int, replayed: Int = 0, dropped: Int) -> OutboxStats {
    var stats = OutboxStats()
    stats.records = records
    stats.bytes = bytes
    stats.appendedTotal = appended
    stats.replayedTotal = replayed
    stats.droppedTotal = dropped
    return stats
}

/// Appends records 1...count and closes the outbox, as a daemon that stopped.
func fill(_ folder: TemporaryFolder, count: Int, segmentBytes: Int = 1 << 16) throws {
    let outbox = try Outbox(settings: settings(folder, segmentBytes: segmentBytes), logger: quiet)
    for i in 1...count { try outbox.append(record(i)) }
}

func segmentFiles(_ folder: TemporaryFolder) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.file("outbox"))) ?? []
    return names.filter { $0.hasPrefix("segment-") }.sorted()
}

func size(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
}

func truncate(_ path: String, to size: Int) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
}

func flipByte(_ path: String, at offset: Int) throws {
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[offset] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
