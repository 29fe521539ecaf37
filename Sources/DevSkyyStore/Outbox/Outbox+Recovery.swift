import Logging

/// Opening an outbox folder as a crash (or a full disk, or a bad disk) may have left it.
extension Outbox {
    /// Reads every segment from the acknowledged position on, checking each record, and repairs what it must.
    static func recover(_ directory: OutboxDirectory, logger: Logger) throws(OutboxError) -> State {
        let numbers = try directory.names().compactMap(OutboxFormat.segmentNumber).sorted()
        let acknowledged = try acknowledgedPosition(directory, logger: logger)
        try? directory.remove(OutboxFormat.positionFile + ".tmp")
        var state = State(ledger: OutboxLedger(nextSegmentNumber: max(numbers.last ?? 0, acknowledged?.segment ?? 0) + 1))
        for number in numbers {
            let name = OutboxFormat.segmentName(number)
            if let acknowledged, number < acknowledged.segment {
                // Done before the crash, only not yet deleted.
                discard(name, in: directory, logger: logger)
                continue
            }
            let isNewest = number == numbers.last
            let file = try OutboxFile.open(directory.file(name), writable: isNewest)
            do {
                let size = try file.size()
                // An offset past the end: the acknowledged bytes were lost with the page cache, nothing after them was written.
                let start = number == acknowledged?.segment ? min(acknowledged?.offset ?? 0, size) : 0
                let (end, records) = try scan(file, from: start, size: size, isNewest: isNewest, logger: logger)
                if isNewest {
                    state.writer = file
                    state.ledger.restore(number: number, start: start, end: end, records: records, open: true)
                } else {
                    file.close()
                    if records > 0 {
                        state.ledger.restore(number: number, start: start, end: end, records: records, open: false)
                    } else {
                        discard(name, in: directory, logger: logger)
                    }
                }
            } catch {
                file.close()
                state.writer?.close()
                throw error
            }
        }
        return state
    }

    /// Checks the records of one segment from `start`, and cuts a damaged newest segment back to its last good record.
    /// - Returns: the end of the last good record, and how many good records follow `start`.
    private static func scan(
        _ file: OutboxFile, from start: Int, size: Int, isNewest: Bool, logger: Logger
    ) throws(OutboxError) -> (end: Int, records: Int) {
        var reader = SegmentReader(file, from: start, to: size)
        var records = 0
        while true {
            switch try reader.next() {
            case .record:
                records += 1
            case .finished:
                return (reader.offset, records)
            case .damaged(let reason):
                let offset = reader.offset
                let metadata: Logger.Metadata = ["file": "\(file.path)", "offset": "\(offset)", "discarded_bytes": "\(size - offset)"]
                if isNewest {
                    // A crash mid-append leaves a torn record at the end: appends must go on from a good one.
                    try file.truncate(to: offset)
                    try file.sync()
                    logger.warning(
                        "outbox segment \(file.path) is damaged at offset \(offset) (\(reason)): cut off, \(size - offset) bytes discarded",
                        metadata: metadata
                    )
                } else {
                    logger.warning(
                        "outbox segment \(file.path) is damaged at offset \(offset) (\(reason)): its last \(size - offset) bytes are skipped",
                        metadata: metadata
                    )
                }
                return (offset, records)
            }
        }
    }

    /// Deletes a segment with nothing left to replay; one that cannot be deleted only wastes space.
    private static func discard(_ name: String, in directory: OutboxDirectory, logger: Logger) {
        do {
            try directory.remove(name)
        } catch {
            logger.warning("outbox: \(error.message)")
        }
    }

    /// The position in the `acknowledged` file; a malformed one is logged and ignored, so records may come twice, never
    /// get lost.
    private static func acknowledgedPosition(_ directory: OutboxDirectory, logger: Logger) throws(OutboxError) -> (
        segment: UInt64, offset: Int
    )? {
        guard let bytes = try directory.read(OutboxFormat.positionFile) else { return nil }
        guard let position = OutboxFormat.position(bytes) else {
            logger.warning("outbox: \(directory.file(OutboxFormat.positionFile)) is malformed; replaying every segment from its start")
            return nil
        }
        return position
    }
}
