import DevSkyyCore
import DevSkyyStore
import Foundation
import FuzzSupport
import Logging

/// The folder each input is laid out in: this process's own, emptied before every input.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devskyy-fuzz-outbox-\(getpid())").path
let quiet = Logger(label: "fuzz-outbox") { _ in SwiftLogNoOpLogHandler() }

/// The outbox over arbitrary file contents. The input's first byte gives the length (its low 6 bits) of the
/// `acknowledged` file's contents, which follow it (none: no file), and whether (bit 6) the rest is cut in half into
/// two segments rather than one. The outbox is opened on those files (recovering what it can), read and acknowledged
/// to its end, each payload decoded as a sample batch, and written to again. The input is also decoded as a sample
/// batch as it is, since a record the fuzzer writes rarely carries a good CRC.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    _ = SampleBatchCodec.decode(bytes)
    guard let first = bytes.first else { return 0 }
    let ackLength = min(Int(first & 0x3F), bytes.count - 1)
    let segments = bytes[(1 + ackLength)...]
    try? FileManager.default.removeItem(atPath: folder)
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    if ackLength > 0 { write(bytes[1..<(1 + ackLength)], "acknowledged") }
    if first & 0x40 != 0 {
        let half = segments.startIndex + segments.count / 2
        write(segments[..<half], "segment-0000000001.log")
        write(segments[half...], "segment-0000000002.log")
    } else {
        write(segments, "segment-0000000001.log")
    }
    exercise(OutboxSettings(directory: folder, maxBytes: 64 * 1_024, segmentBytes: 4 * 1_024, fsync: .never))
    return 0
}

func write(_ bytes: ArraySlice<UInt8>, _ name: String) {
    precondition(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes)))
}

/// Everything the writer does with an outbox it finds after a restart. Errors are fine; a trap is not.
func exercise(_ settings: OutboxSettings) {
    guard let outbox = try? Outbox(settings: settings, logger: quiet) else { return }
    for _ in 0..<64 {
        guard let records = try? outbox.oldest(limit: 8), let last = records.last else { break }
        for record in records { _ = SampleBatchCodec.decode(record.payload) }
        guard (try? outbox.acknowledge(through: last)) != nil else { break }
    }
    let batch = [Sample(partnership: "fuzz", metric: "m", labels: [], timestamp: 1_700_000_000_000, value: 1)]
    _ = try? outbox.append(SampleBatchCodec.encode(batch))
    _ = try? outbox.oldest(limit: 8)
    _ = outbox.stats
}

FuzzDriver.run(testOneInput)
