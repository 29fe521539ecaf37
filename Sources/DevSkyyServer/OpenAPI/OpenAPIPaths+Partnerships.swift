extension OpenAPIPaths {
    /// `PartnershipRoutes`: every answer but the 2xx and 304 is in the `Error` shape.
    static var partnerships: [APIOperation] {
        typealias S = OpenAPISchemas
        let tag = "partnerships"
        let id = APIParameter.path("id", "A partnership id from the configuration")
        let redis: [APIResponse] = [
            .error(503, "Redis cannot be reached, or the server has no deliverable store"),
            .error(500, "Redis refused the read or write"),
        ]
        let unknown = APIResponse.error(404, "No such partnership")
        let status = [
            "allOf": [
                S.ref("Partnership"),
                S.object(
                    ["reasons": S.array(S.ref("HealthReason")), "key_metric": S.nullable("string")]
                ).merging(["description": "Also the type's key value (uptime, engagement, accuracy or satisfaction), or null"]) { a, _ in a
                },
            ]
        ]
        let deliverables = S.object([
            "partnership_id": S.string, "progress": S.nullable("number"), "deliverables": S.array(S.ref("Deliverable")),
        ])
        return [
            APIOperation(
                method: "GET", path: "/api/v1/partnerships", tag: tag,
                responses: APIResponse.cached("Every partnership", S.object(["partnerships": S.array(S.ref("Partnership"))])) + redis),
            APIOperation(
                method: "GET", path: "/api/v1/partnerships/{id}/status", tag: tag, parameters: [id],
                responses: APIResponse.cached("The partnership with its reasons and key metric", status) + [unknown] + redis),
            APIOperation(
                method: "GET", path: "/api/v1/partnerships/{id}/deliverables", tag: tag, parameters: [id],
                responses: APIResponse.cached("Declared deliverables in configuration order", deliverables) + [unknown] + redis),
            APIOperation(
                method: "PUT", path: "/api/v1/partnerships/{id}/deliverables/{deliverable_id}", tag: tag,
                parameters: [id, .path("deliverable_id", "A deliverable id the partnership declares")],
                requestBody: .json(S.ref("DeliverableUpdate")),
                responses: [
                    .ok("The deliverable as stored", .json(S.ref("Deliverable"))),
                    .error(400, "The body is not JSON"),
                    .error(404, "No such partnership or deliverable"),
                    .error(415, "Content-Type is not application/json"),
                    .error(422, "An unknown field, a wrong type or a value out of range; `field` names it"),
                ] + redis),
        ]
    }
}
