import DevSkyyCore

/// The document's shared schemas, each checked against the code that writes the body.
///
/// Only fields the code always writes are `required`; nested bodies whose shape follows the configuration are
/// described by their top-level fields.
enum OpenAPISchemas {
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    static func object(_ properties: [String: Any], required: [String]? = nil) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required ?? properties.keys.sorted()]
    }

    static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }

    static func nullable(_ type: String) -> [String: Any] { ["type": [type, "null"]] }

    static var string: [String: Any] { ["type": "string"] }
    static var number: [String: Any] { ["type": "number"] }
    static var integer: [String: Any] { ["type": "integer"] }
    static var boolean: [String: Any] { ["type": "boolean"] }
    static var anyObject: [String: Any] { ["type": "object"] }
    static var time: [String: Any] { ["type": "string", "description": "ISO 8601 UTC: 2025-10-25T10:30:00Z"] }
    static var nullableTime: [String: Any] { ["type": ["string", "null"], "description": "ISO 8601 UTC, null when never"] }
    static var partnershipType: [String: Any] { ["type": "string", "enum": Partnership.Kind.allCases.map(\.rawValue)] }

    static var all: [String: [String: Any]] {
        [
            "Error": error,
            "OAuthError": oauthError,
            "HealthEvent": healthEvent,
            "HealthReason": healthReason,
            "CollectorSummary": collectorSummary,
            "Deliverable": deliverable,
            "Partnership": partnership,
            "DeliverableUpdate": deliverableUpdate,
        ]
    }

    /// `APIError.body`: every error answer of every route.
    static var error: [String: Any] {
        object([
            "status": ["type": "string", "const": "error"],
            "error": object(
                [
                    "code": [
                        "type": "string",
                        "description": "Stable and machine-readable: bad_request, invalid_parameter, malformed_json, unexpected_body, "
                            + "not_found, method_not_allowed, payload_too_large, unsupported_media_type, invalid_field, unavailable, "
                            + "internal",
                    ],
                    "message": string,
                    "field": ["type": "string", "description": "The request field, parameter or header at fault"],
                ],
                required: ["code", "message"]),
        ])
    }

    /// `OAuthError.answer`: the token endpoint's own refusals (RFC 6749 §5.2).
    static var oauthError: [String: Any] {
        object([
            "error": ["type": "string", "enum": OAuthError.Code.allCases.map(\.rawValue)],
            "error_description": string,
        ])
    }

    /// `HealthEvent.jsonObject`.
    static var healthEvent: [String: Any] {
        object(
            [
                "time": ["type": "string", "description": "RFC 3339 UTC with milliseconds"],
                "time_ms": integer, "kind": string, "entity": string, "from": string, "to": string, "reason": string,
                "id": ["type": "string", "description": "The Redis stream ID; absent on events not yet stored"],
                "partnership": string, "metric": string, "value": number,
            ],
            required: ["time", "time_ms", "kind", "entity", "from", "to", "reason"])
    }

    /// `SnapshotJSON.reason`.
    static var healthReason: [String: Any] {
        object(
            ["metric": string, "state": string, "message": string, "value": number, "bound": number, "since": time],
            required: ["metric", "state", "message"])
    }

    /// `SnapshotJSON.collectorSummary`.
    static var collectorSummary: [String: Any] {
        object(
            ["name": string, "partnership": string, "up": boolean, "last_error": string, "last_success": nullableTime],
            required: ["name", "partnership", "up", "last_success"])
    }

    /// `PartnershipJSON.deliverable`.
    static var deliverable: [String: Any] {
        object([
            "id": string, "name": string,
            "progress": ["type": "number", "minimum": 0, "maximum": 100],
            "completion_percentage": ["type": "number", "minimum": 0, "maximum": 100],
            "status": string, "last_updated": nullableTime,
        ])
    }

    /// `PartnershipJSON.summary`, wherever a partnership is listed.
    static var partnership: [String: Any] {
        object([
            "id": string, "name": string, "type": partnershipType, "health": string, "score": number,
            "progress": ["type": ["number", "null"], "description": "Mean completion of the deliverables; null without any"],
            "deliverables": array(ref("Deliverable")), "last_updated": nullableTime,
        ])
    }

    /// `DeliverableUpdate.parse`: unknown fields are refused; at least one of the first two is needed.
    static var deliverableUpdate: [String: Any] {
        [
            "type": "object", "additionalProperties": false, "minProperties": 1,
            "properties": [
                "completion_percentage": ["type": "number", "minimum": 0, "maximum": 100],
                "status": [
                    "type": "string", "minLength": 1, "maxLength": DeliverableUpdate.maxStatusLength,
                    "description": "Free text without control characters, not only spaces",
                    "pattern": #"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"#,
                ],
                "last_updated": [
                    "type": "string", "format": "date-time",
                    "description": "Checked as ISO 8601 and ignored: the server's clock stamps the change",
                ],
            ],
            "anyOf": [["required": ["completion_percentage"]], ["required": ["status"]]],
        ]
    }
}
