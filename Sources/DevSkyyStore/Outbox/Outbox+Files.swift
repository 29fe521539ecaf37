/// The outbox's changes to its files, always made under its lock, before the ledger is told.
extension Outbox {
    /// Deletes the oldest records until `size` more bytes fit under `maxBytes`.
    func makeRoom(for size: Int, in state: inout State) throws(OutboxError) {
        var startMoved = false
        while state.ledger.stats.bytes + size > settings.maxBytes, let oldest = state.ledger.segments.first {
            guard oldest.number == state.ledger.openSegment?.number, let writer = state.writer else {
                remove([state.ledger.dropOldestSegment()], in: &state)
                continue
            }
            // Only the open segment is left: give up its records one by one from the front.
            let bytes = try writer.read(at: oldest.start, count: OutboxFormat.headerSize)
            guard let header = OutboxFormat.Header(bytes), header.length <= oldest.end - oldest.start - OutboxFormat.headerSize else {
                damaged(oldest, at: oldest.start, kept: 0, reason: "a record header is unreadable", in: &state)
                continue
            }
            remove(state.ledger.dropOldestRecord(size: OutboxFormat.headerSize + header.length), in: &state)
            startMoved = true
        }
        if startMoved, let first = state.ledger.segments.first {
            try savePosition(segment: first.number, offset: first.start, in: &state)
        }
    }

    /// The open segment's file, after starting a new segment when there is none or the record would overfill it.
    func writer(for size: Int, in state: inout State) throws(OutboxError) -> OutboxFile {
        if let writer = state.writer, !state.ledger.needsNewSegment(for: size, segmentBytes: settings.segmentBytes) {
            return writer
        }
        try closeWriter(in: &state)
        let number = state.ledger.nextSegmentNumber
        let file = try OutboxFile.open(directory.file(OutboxFormat.segmentName(number)), writable: true, create: true)
        do {
            // The number is new, so any file by that name is a stray: start it empty.
            try file.truncate(to: 0)
        } catch {
            file.close()
            throw error
        }
        let emptied = state.ledger.startSegment()
        state.writer = file
        remove(emptied.map { [$0] } ?? [], in: &state)
        state.directoryDirty = true
        if settings.fsync == .always {
            try directory.sync()
            state.directoryDirty = false
        }
        return file
    }

    /// Appends up to `limit` records of `segment` to `records`; damage found on the way closes the segment there.
    func read(
        _ segment: OutboxLedger.Segment, upTo limit: Int, into records: inout [OutboxRecord], state: inout State
    ) throws(OutboxError) {
        let isOpen = segment.number == state.ledger.openSegment?.number
        guard let file = isOpen ? state.writer : try OutboxFile.openIfPresent(directory.file(segment.name)) else {
            damaged(segment, at: segment.start, kept: 0, reason: "the file is gone", in: &state)
            return
        }
        defer { if !isOpen { file.close() } }
        var reader = SegmentReader(file, from: segment.start, to: segment.end)
        var sequence = segment.firstSequence
        while records.count < limit {
            switch try reader.next() {
            case .record(let payload, let end):
                records.append(
                    OutboxRecord(
                        payload: payload,
                        position: .init(ledger: state.ledger.identity, segment: segment.number, end: end, sequence: sequence)))
                sequence += 1
            case .finished:
                return
            case .damaged(let reason):
                damaged(segment, at: reader.offset, kept: Int(sequence - segment.firstSequence), reason: reason, in: &state)
                return
            }
        }
    }

    /// Gives up the rest of a segment found damaged while running (the disk changed under us): warns, counts the lost
    /// records as dropped, and stops appending to it.
    func damaged(_ segment: OutboxLedger.Segment, at offset: Int, kept: Int, reason: String, in state: inout State) {
        let path = directory.file(segment.name)
        logger.warning(
            "outbox segment \(path) is damaged at offset \(offset) (\(reason)): skipping its last \(segment.end - offset) bytes",
            metadata: ["file": "\(path)", "offset": "\(offset)", "skipped_bytes": "\(segment.end - offset)"]
        )
        if segment.number == state.ledger.openSegment?.number { try? closeWriter(in: &state) }
        if state.ledger.cut(segment.number, at: offset, keeping: kept) { remove([segment.number], in: &state) }
    }

    /// Saves how far the log is done, so a restart does not replay it.
    func savePosition(segment: UInt64, offset: Int, in state: inout State) throws(OutboxError) {
        let durably = settings.fsync == .always
        try directory.replace(OutboxFormat.positionFile, with: OutboxFormat.position(segment: segment, offset: offset), durably: durably)
        state.positionDirty = !durably
        state.directoryDirty = state.directoryDirty || !durably
    }

    /// Deletes segment files the ledger let go; one that cannot be deleted only wastes space, so it is logged, not thrown.
    func remove(_ numbers: [UInt64], in state: inout State) {
        for number in numbers {
            do {
                try directory.remove(OutboxFormat.segmentName(number))
                state.directoryDirty = true
            } catch {
                logger.warning("outbox: \(error.message)")
            }
        }
    }

    /// Closes the open segment's file, first forcing its appends to disk unless `settings.fsync` is `.never`; closed
    /// even when that fails.
    private func closeWriter(in state: inout State) throws(OutboxError) {
        guard let writer = state.writer else { return }
        let dirty = state.writerDirty && settings.fsync != .never
        state.writer = nil
        state.writerDirty = false
        defer { writer.close() }
        if dirty { try writer.sync() }
    }
}
