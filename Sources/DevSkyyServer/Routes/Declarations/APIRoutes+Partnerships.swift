import DevSkyyCore

extension APIRoutes {
    /// `PartnershipRoutes`: every answer but the 2xx and 304 is in the `Error` shape.
    static let partnerships = [partnershipList, partnershipStatus, partnershipDeliverables, deliverableUpdate]

    private static let partnershipsTag = "partnerships"

    /// Parameters, errors and schemas the partnership routes share. `nonisolated(unsafe)`: JSON values built once from
    /// literals and never mutated (`[String: Any]` cannot say it is Sendable).
    private enum PartnershipDocs {
        typealias S = OpenAPISchemas
        nonisolated(unsafe) static let id = APIParameter.path("id", "A partnership id from the configuration")
        nonisolated(unsafe) static let redis: [APIResponse] = [
            .error(503, "Redis cannot be reached, or the server has no deliverable store"),
            .error(500, "Redis refused the read or write"),
        ]
        nonisolated(unsafe) static let unknown = APIResponse.error(404, "No such partnership")
        nonisolated(unsafe) static let status: [String: Any] = [
            "allOf": [
                S.ref("Partnership"),
                S.object(
                    ["reasons": S.array(S.ref("HealthReason")), "key_metric": S.nullable("string")]
                ).merging(["description": "Also the type's key value (uptime, engagement, accuracy or satisfaction), or null"]) { a, _ in a
                },
            ]
        ]
        nonisolated(unsafe) static let deliverables: [String: Any] = S.object([
            "partnership_id": S.string, "progress": S.nullable("number"), "deliverables": S.array(S.ref("Deliverable")),
        ])
    }

    public static let partnershipList = APIRoute(
        Endpoints.partnerships, "Every partnership with its health, score, progress and deliverables",
        permission: .partnershipsRead, tag: partnershipsTag,
        responses: APIResponse.cached(
            "Every partnership", OpenAPISchemas.object(["partnerships": OpenAPISchemas.array(OpenAPISchemas.ref("Partnership"))]))
            + PartnershipDocs.redis)
    public static let partnershipStatus = APIRoute(
        .get, "/api/v1/partnerships/{id}/status", "One partnership's health, reasons, key metric and progress",
        permission: .partnershipsRead, tag: partnershipsTag, parameters: [PartnershipDocs.id],
        responses: APIResponse.cached("The partnership with its reasons and key metric", PartnershipDocs.status)
            + [PartnershipDocs.unknown] + PartnershipDocs.redis)
    public static let partnershipDeliverables = APIRoute(
        .get, "/api/v1/partnerships/{id}/deliverables", "One partnership's deliverables with their completion and status",
        permission: .partnershipsRead, tag: partnershipsTag, parameters: [PartnershipDocs.id],
        responses: APIResponse.cached("Declared deliverables in configuration order", PartnershipDocs.deliverables)
            + [PartnershipDocs.unknown] + PartnershipDocs.redis)
    public static let deliverableUpdate = APIRoute(
        Endpoints.deliverableUpdate,
        "Sets a deliverable's completion percentage and status (stored in Redis, recorded as an event)",
        permission: .partnershipsWrite, tag: partnershipsTag,
        parameters: [PartnershipDocs.id, .path("deliverable_id", "A deliverable id the partnership declares")],
        requestBody: .json(OpenAPISchemas.ref("DeliverableUpdate")),
        responses: [
            .ok("The deliverable as stored", .json(OpenAPISchemas.ref("Deliverable"))),
            .error(400, "The body is not JSON"),
            .error(404, "No such partnership or deliverable"),
            .error(415, "Content-Type is not application/json"),
            .error(422, "An unknown field, a wrong type or a value out of range; `field` names it"),
        ] + PartnershipDocs.redis)
}
