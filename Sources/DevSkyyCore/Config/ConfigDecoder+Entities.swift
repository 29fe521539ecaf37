extension ConfigDecoder {
    /// The `content` and `influencers` lists: entities that `for_each` collectors are templated over.
    func decodeEntities(_ top: ConfigMapping) -> [Entity] {
        var result: [Entity] = []
        for kind in Entity.Kind.allCases {
            for (i, node) in top.list(kind.rawValue).enumerated() {
                guard let map = ConfigMapping(node, path: "\(kind.rawValue)[\(i)]", log: top.log) else { continue }
                guard let id = identifier(map, "id") else { continue }
                if result.contains(where: { $0.kind == kind && $0.id == id }) {
                    map.log.add(map.line(of: "id"), "\(map.path).id: '\(id)' is declared twice")
                }
                var fields: [String: String] = [:]
                for key in map.keys {
                    guard let node = map[key], case .scalar = node.value else {
                        map.log.add(map.line(of: key), "\(map.child(key)): entity fields must be plain values")
                        continue
                    }
                    fields[key] = map.string(key)
                }
                result.append(Entity(kind: kind, id: id, fields: fields))
            }
        }
        return result
    }

    /// Fills `{field}` templates in the URL, headers, body and labels; per-entity collectors get their
    /// own name (`name.id`) and the entity's label.
    func expand(_ collector: CollectorConfig, for entity: Entity?, map: ConfigMapping) -> CollectorConfig? {
        var result = collector
        let fields = entity?.fields ?? [:]
        var failed = false
        func fill(_ text: String, _ key: String) -> String {
            switch Template.fill(text, fields) {
            case .success(let filled): return filled
            case .failure(let missing):
                let subject = entity.map { "\($0.kind.rawValue) '\($0.id)'" } ?? "this collector (no for_each)"
                map.log.add(map.line(of: key), "\(map.child(key)): {\(missing.field)} is not a field of \(subject)")
                failed = true
                return text
            }
        }
        result.url = fill(collector.url, "url")
        result.headers = collector.headers.mapValues { fill($0, "headers") }
        result.body = collector.body.map { fill($0, "body") }
        result.labels = collector.labels.mapValues { fill($0, "labels") }
        if let entity {
            result.name = "\(collector.name).\(entity.id)"
            result.labels[entity.kind.label] = entity.id
        }
        if failed { return nil }
        if collector.url.contains("{"), let problem = Self.urlProblem(result.url) {
            map.log.add(map.line(of: "url"), "\(map.child("url")): bad URL: \(problem)")
            return nil
        }
        return result
    }
}

/// `{field}` placeholders filled from an entity's fields.
enum Template {
    struct Missing: Error { let field: String }

    static func fill(_ text: String, _ fields: [String: String]) -> Result<String, Missing> {
        guard text.contains("{") else { return .success(text) }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            // `${` was expanded from the environment already; a lone `{` without `}` is literal.
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = fields[name] else { return .failure(Missing(field: name)) }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return .success(result + rest)
    }
}
