import DevSkyyCore
import DevSkyyStore
import Foundation
import Hummingbird

/// What the partnership routes need beyond the snapshot: the deliverable progress and where changes are recorded.
public struct PartnershipDependencies: Sendable {
    /// Progress held in memory, loaded from the store on first use; updates go through it to the store.
    public let board: DeliverableBoard
    /// Receives each deliverable change as an event; the daemon appends it to the events stream and the live hub.
    public var record: @Sendable ([HealthEvent]) -> Void

    public init(deliverables: DeliverableStore, record: @escaping @Sendable ([HealthEvent]) -> Void) {
        board = DeliverableBoard(store: deliverables)
        self.record = record
    }
}

/// Partnerships and their deliverables (seed 001, "Partnership Management API").
///
/// Partnerships and deliverables are those of the current snapshot's configuration; health comes from the snapshot,
/// deliverable progress from the board. The answers are encoded once per snapshot and board version and carry an
/// ETag. Errors are thrown as `APIError`s: 404 for an unknown partnership or deliverable, 400/413/415/422 for a bad
/// update, 503 while Redis cannot be reached for an update or for the board's first load.
enum PartnershipRoutes {
    /// - Parameters:
    ///   - reads: where the GET routes go (the router's bodiless group).
    ///   - updates: where the deliverable update goes.
    ///   - maxBodyBytes: the largest update body.
    static func add(
        reads: some RouterMethods<APIRequestContext>, updates: some RouterMethods<APIRequestContext>, store: SnapshotStore,
        dependencies: PartnershipDependencies?, maxBodyBytes: Int
    ) {
        // The trie router ignores empty path components: `/api/v1/partnerships/` lands here too.
        reads.on(APIRoutes.partnershipList) { request, _ -> Response in
            let body = try await bodies(of: store.encoded, dependencies).list
            return CachedJSON.response(to: request, body, cacheControl: CachePolicy.metrics)
        }
        reads.on(APIRoutes.partnershipStatus) { request, context -> Response in
            let encoded = store.encoded
            let view = try partnership(context, in: encoded.snapshot)
            let body = try await bodies(of: encoded, dependencies).status(of: view)
            return CachedJSON.response(to: request, body, cacheControl: CachePolicy.metrics)
        }
        reads.on(APIRoutes.partnershipDeliverables) { request, context -> Response in
            let encoded = store.encoded
            let view = try partnership(context, in: encoded.snapshot)
            let body = try await bodies(of: encoded, dependencies).deliverables(of: view)
            return CachedJSON.response(to: request, body, cacheControl: CachePolicy.metrics)
        }
        updates.on(APIRoutes.deliverableUpdate) { request, context -> Response in
            let view = try partnership(context, in: store.encoded.snapshot)
            let id = context.parameters.get("deliverable_id") ?? ""
            guard let declared = view.partnership.deliverables.first(where: { $0.id == id }) else {
                throw APIError.notFound("partnership '\(view.partnership.id)' has no deliverable '\(id)'")
            }
            // The body is checked before Redis is asked: a bad request is a 4xx whatever Redis is doing.
            let update = try DeliverableUpdate.parse(try await jsonBody(request, limit: maxBodyBytes))
            let board = try board(dependencies)
            let change: DeliverableStore.Change
            do {
                change = try await board.update(
                    partnership: view.partnership.id, id: id, completion: update.completion, status: update.status, at: Timestamp.now())
            } catch {
                throw APIError.redis(error, subject: "deliverable progress")
            }
            if let event = change.event { dependencies?.record([event]) }
            return SeriesRoutes.json(.ok, PartnershipJSON.deliverable(declared, change.new))
        }
    }

    // MARK: - Requests

    private static func partnership(_ context: APIRequestContext, in snapshot: Snapshot) throws(APIError) -> Snapshot.PartnershipView {
        let id = context.parameters.get("id") ?? ""
        guard let view = snapshot.partnerships.first(where: { $0.partnership.id == id }) else {
            throw .notFound("no partnership '\(id)'")
        }
        return view
    }

    private static func board(_ dependencies: PartnershipDependencies?) throws(APIError) -> DeliverableBoard {
        guard let dependencies else {
            throw .unavailable("deliverable progress is unavailable: this server has no deliverable store")
        }
        return dependencies.board
    }

    /// The snapshot's answers at the board's current version; 503 while the board cannot be loaded.
    private static func bodies(of encoded: EncodedSnapshot, _ dependencies: PartnershipDependencies?) async throws -> PartnershipBodies {
        let board = try board(dependencies)
        do {
            return try await encoded.partnerships(from: board)
        } catch {
            throw APIError.redis(error, subject: "deliverable progress")
        }
    }

    /// The request body, if it is JSON and at most `limit` bytes (`BodyLimitMiddleware` has already refused a
    /// declared length over it).
    static func jsonBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        guard let type = request.headers[.contentType], isJSON(type) else {
            throw APIError.unsupportedMediaType(expected: "application/json")
        }
        return try await body(request, limit: limit)
    }

    /// The request body, at most `limit` bytes, whatever its type: 413 past that.
    static func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }

    /// `application/json` or a `+json` type, any parameters (`; charset=utf-8`) allowed.
    static func isJSON(_ contentType: String) -> Bool {
        let media = mediaType(contentType)
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    /// A `Content-Type`'s media type, lowercased, without its parameters.
    static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}
