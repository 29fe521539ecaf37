import DevSkyyCore

extension RedisKeys {
    /// One stored entity: hash `{prefix}:entity:{kind}:{id}` (see the README's key table).
    public func entity(_ kind: String, _ id: String) -> String { "\(prefix):entity:\(kind):\(id)" }

    /// A deliverable's progress: `{prefix}:entity:deliverable:{partnership}:{id}`. Both parts are configuration
    /// identifiers (letters, digits, `_`, `-`), so the `:` between them is unambiguous.
    public func deliverable(partnership: String, id: String) -> String { entity("deliverable", "\(partnership):\(id)") }
}
