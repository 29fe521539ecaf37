/// A content piece or influencer declared in the configuration, for `for_each` collectors.
public struct Entity: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case content, influencers

        /// The label every sample of a per-entity collector carries.
        public var label: String {
            switch self {
            case .content: "content"
            case .influencers: "influencer"
            }
        }
    }

    public var kind: Kind
    public var id: String
    /// Every scalar field, `id` included, for `{field}` templates.
    public var fields: [String: String]

    public init(kind: Kind, id: String, fields: [String: String]) {
        self.kind = kind
        self.id = id
        self.fields = fields
    }
}
