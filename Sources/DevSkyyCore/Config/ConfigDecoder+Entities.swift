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

    /// For a `for_each` collector: fills `{field}` templates in the URL, headers, body and labels, and
    /// gives it its own name (`name.id`) and the entity's label. Other collectors are taken as written:
    /// a JSON body's braces are not templates.
    func expand(_ collector: CollectorConfig, for entity: Entity?, map: ConfigMapping) -> CollectorConfig? {
        guard let entity else {
            if collector.url.contains("{"), let problem = Self.urlProblem(collector.url) {
                map.log.add(map.line(of: "url"), "\(map.child("url")): bad URL: \(problem)")
                return nil
            }
            return collector
        }
        var result = collector
        var failed = false
        func fill(_ text: String, _ key: String) -> String {
            switch Template.fill(text, entity.fields) {
            case .success(let filled): return filled
            case .failure(let missing):
                // Header values may hold secrets: name the placeholder only for the other keys.
                let what = key == "headers" ? "a placeholder" : "{\(missing.field)}"
                map.log.add(map.line(of: key), "\(map.child(key)): \(what) is not a field of \(entity.kind.rawValue) '\(entity.id)'")
                failed = true
                return text
            }
        }
        result.url = fill(collector.url, "url")
        result.headers = collector.headers.mapValues { fill($0, "headers") }
        for (name, value) in result.headers {
            guard let problem = HeaderField.problem(name: name, value: value) else { continue }
            map.log.add(
                map.line(of: "headers"), "\(map.child("headers")).\(name): \(problem) (filled from \(entity.kind.rawValue) '\(entity.id)')")
            failed = true
        }
        result.body = collector.body.map { fill($0, "body") }
        result.labels = collector.labels.mapValues { fill($0, "labels") }
        result.name = "\(collector.name).\(entity.id)"
        result.labels[entity.kind.label] = entity.id
        if failed { return nil }
        if let problem = Self.urlProblem(result.url) {
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
            // Only `{identifier}` is a placeholder; other braces (JSON in a body) are literal text.
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                result += rest[open...close]
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard let value = fields[name] else { return .failure(Missing(field: name)) }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return .success(result + rest)
    }
}
