import DevSkyyCore
import DevSkyyStore
import Foundation
import Hummingbird

/// What the partnership routes need beyond the snapshot: the deliverable store and where changes are recorded.
public struct PartnershipDependencies: Sendable {
    public var deliverables: DeliverableStore
    /// Receives each deliverable change as an event; the daemon appends it to the events stream and the live hub.
    public var record: @Sendable ([HealthEvent]) -> Void

    public init(deliverables: DeliverableStore, record: @escaping @Sendable ([HealthEvent]) -> Void) {
        self.deliverables = deliverables
        self.record = record
    }
}

/// Partnerships and their deliverables (seed 001, "Partnership Management API").
///
/// Partnerships and deliverables are those of the current snapshot's configuration; health comes from the snapshot,
/// deliverable progress from Redis. A partnership's progress is the mean completion of its deliverables.
/// Errors are thrown as `APIError`s: 404 for an unknown partnership or deliverable, 400/413/415/422 for a bad
/// update, 503 while Redis cannot be reached.
enum PartnershipRoutes {
    /// - Parameters:
    ///   - reads: where the GET routes go (the router's bodiless group).
    ///   - updates: where the deliverable update goes.
    ///   - maxBodyBytes: the largest update body.
    static func add(
        reads: some RouterMethods<BasicRequestContext>, updates: some RouterMethods<BasicRequestContext>, store: SnapshotStore,
        dependencies: PartnershipDependencies?, maxBodyBytes: Int
    ) {
        // The trie router ignores empty path components: `/api/v1/partnerships/` lands here too.
        reads.get("api/v1/partnerships") { _, _ -> Response in
            let views = store.encoded.snapshot.partnerships
            let progress = try await read(dependencies) { try await $0.progress(of: views.map(\.partnership)) }
            return SeriesRoutes.json(.ok, ["partnerships": views.map { summary($0, progress[$0.partnership.id] ?? []) }])
        }
        reads.get("api/v1/partnerships/:id/status") { _, context -> Response in
            let view = try partnership(context, in: store)
            let progress = try await read(dependencies) {
                try await $0.progress(partnership: view.partnership.id, deliverables: view.partnership.deliverables.map(\.id))
            }
            return SeriesRoutes.json(.ok, status(view, progress))
        }
        reads.get("api/v1/partnerships/:id/deliverables") { _, context -> Response in
            let view = try partnership(context, in: store)
            let progress = try await read(dependencies) {
                try await $0.progress(partnership: view.partnership.id, deliverables: view.partnership.deliverables.map(\.id))
            }
            return SeriesRoutes.json(
                .ok,
                [
                    "partnership_id": view.partnership.id, "progress": mean(progress) ?? NSNull(),
                    "deliverables": deliverables(view.partnership, progress),
                ])
        }
        updates.put("api/v1/partnerships/:id/deliverables/:deliverable_id") { request, context -> Response in
            let view = try partnership(context, in: store)
            let id = context.parameters.get("deliverable_id") ?? ""
            guard let declared = view.partnership.deliverables.first(where: { $0.id == id }) else {
                throw APIError.notFound("partnership '\(view.partnership.id)' has no deliverable '\(id)'")
            }
            // The body is checked before Redis is asked: a bad request is a 4xx whatever Redis is doing.
            let update = try DeliverableUpdate.parse(try await jsonBody(request, limit: maxBodyBytes))
            let change = try await read(dependencies) {
                try await $0.update(
                    partnership: view.partnership.id, id: id, completion: update.completion, status: update.status, at: Timestamp.now())
            }
            if let event = change.event { dependencies?.record([event]) }
            return SeriesRoutes.json(.ok, deliverable(declared, change.new))
        }
    }

    // MARK: - Bodies

    /// A partnership as seed 001 lists it, with the score and type seed 000 adds.
    static func summary(_ view: Snapshot.PartnershipView, _ progress: [DeliverableProgress]) -> [String: Any] {
        let newest = ([view.lastUpdated] + progress.map(\.updated)).compactMap { $0 }.max()
        return [
            "id": view.partnership.id,
            "name": view.partnership.name,
            "type": view.partnership.kind.rawValue,
            "health": view.health.label.rawValue,
            "score": view.health.score,
            "progress": mean(progress) ?? NSNull(),
            "deliverables": deliverables(view.partnership, progress),
            "last_updated": newest.map(SnapshotJSON.iso8601) ?? NSNull(),
        ]
    }

    /// One partnership's summary with why it has its label and its key metric, as the orchestration health shows them.
    static func status(_ view: Snapshot.PartnershipView, _ progress: [DeliverableProgress]) -> [String: Any] {
        var object = summary(view, progress)
        object["reasons"] = view.health.reasons.map(SnapshotJSON.reason)
        object["key_metric"] = view.partnership.keyMetric ?? NSNull()
        object[view.partnership.kind.keyField] = view.keyValue ?? NSNull()
        return object
    }

    /// The partnership's declared deliverables in configuration order, each with its stored (or default) progress.
    static func deliverables(_ partnership: Partnership, _ progress: [DeliverableProgress]) -> [[String: Any]] {
        let byID = Dictionary(progress.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        return partnership.deliverables.map {
            deliverable($0, byID[$0.id] ?? DeliverableProgress(partnership: partnership.id, id: $0.id))
        }
    }

    /// `progress` as seed 001 lists deliverables, `completion_percentage` as its update carries it: a client can
    /// read, change and send back the same field.
    static func deliverable(_ declared: Partnership.Deliverable, _ progress: DeliverableProgress) -> [String: Any] {
        [
            "id": declared.id,
            "name": declared.name,
            "progress": progress.completion,
            "completion_percentage": progress.completion,
            "status": progress.status,
            "last_updated": progress.updated.map(SnapshotJSON.iso8601) ?? NSNull(),
        ]
    }

    /// The mean completion, to two decimals; nil for a partnership without deliverables.
    static func mean(_ progress: [DeliverableProgress]) -> Double? {
        guard !progress.isEmpty else { return nil }
        let average = progress.map(\.completion).reduce(0, +) / Double(progress.count)
        return (average * 100).rounded() / 100
    }

    // MARK: - Requests

    private static func partnership(_ context: BasicRequestContext, in store: SnapshotStore) throws(APIError) -> Snapshot.PartnershipView {
        let id = context.parameters.get("id") ?? ""
        guard let view = store.encoded.snapshot.partnerships.first(where: { $0.partnership.id == id }) else {
            throw .notFound("no partnership '\(id)'")
        }
        return view
    }

    /// Asks the deliverable store; without one, 503.
    private static func read<T>(
        _ dependencies: PartnershipDependencies?, _ body: (DeliverableStore) async throws -> T
    ) async throws -> T {
        guard let dependencies else {
            throw APIError.unavailable("deliverable progress is unavailable: this server has no deliverable store")
        }
        do {
            return try await body(dependencies.deliverables)
        } catch {
            throw APIError.redis(error, subject: "deliverable progress")
        }
    }

    /// The request body, if it is JSON and at most `limit` bytes (`BodyLimitMiddleware` has already refused a
    /// declared length over it).
    private static func jsonBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        guard let type = request.headers[.contentType], isJSON(type) else {
            throw APIError.unsupportedMediaType(expected: "application/json")
        }
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }

    /// `application/json` or a `+json` type, any parameters (`; charset=utf-8`) allowed.
    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }
}
