/// Collects issues while a configuration tree is read, so every problem is reported at once.
final class IssueLog {
    let file: String
    let environment: [String: String]
    private(set) var issues: [ConfigIssue] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    func add(_ line: Int, _ message: String) {
        issues.append(ConfigIssue(file: file, line: line, message: message))
    }

    /// Said with every unset variable: under systemd the unit reads them from /etc/default/devskyyd, which a
    /// shell running `devskyyd --check-config` by hand does not.
    static let whereVariablesComeFrom =
        "export it, or give the file that holds it with --env-file; under systemd the unit reads /etc/default/devskyyd"

    /// Expands `${VAR}` from the environment; an unset variable is an issue.
    func expand(_ text: String, line: Int, at path: String) -> String? {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                add(line, "\(path): unterminated ${ in value")
                return nil
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                add(line, "\(path): environment variable \(name) is not set (\(Self.whereVariablesComeFrom))")
                return nil
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

/// A mapping node being read: typed accessors that log issues with the line they concern.
struct ConfigMapping {
    let node: ConfigNode
    let path: String
    let log: IssueLog
    private let entries: [ConfigNode.Entry]

    /// Returns nil (and logs) when the node is not a mapping; a missing section reads as empty.
    init?(_ node: ConfigNode, path: String, log: IssueLog) {
        self.node = node
        self.path = path
        self.log = log
        switch node.value {
        case .mapping(let entries): self.entries = entries
        case .null: self.entries = []
        default:
            log.add(node.line, "\(path): expected a mapping, found \(node.kindName)")
            return nil
        }
    }

    /// Logs keys that are not in `allowed`, and keys given twice.
    func allowOnly(_ allowed: [String]) {
        var seen: Set<String> = []
        for entry in entries {
            if !allowed.contains(entry.key) {
                log.add(entry.keyLine, "\(path): unknown key '\(entry.key)' (known keys: \(allowed.joined(separator: ", ")))")
            }
            if !seen.insert(entry.key).inserted {
                log.add(entry.keyLine, "\(path): key '\(entry.key)' given twice")
            }
        }
    }

    var keys: [String] { entries.map(\.key) }

    subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key }.map(\.value)
    }

    func child(_ key: String) -> String { "\(path).\(key)" }

    func string(_ key: String) -> String? {
        guard let value = self[key] else { return nil }
        switch value.value {
        case .scalar(let text): return log.expand(text, line: value.line, at: child(key))
        case .null: return nil
        default:
            log.add(value.line, "\(child(key)): expected a string, found \(value.kindName)")
            return nil
        }
    }

    func required(_ key: String) -> String? {
        if self[key] == nil { log.add(node.line, "\(path): missing required key '\(key)'") }
        return string(key)
    }

    func duration(_ key: String) -> Duration? {
        guard let text = string(key) else { return nil }
        guard let duration = DurationParser.parse(text) else {
            log.add(line(of: key), "\(child(key)): bad duration '\(text)' (use 500ms, 10s, 5m, 1h or 7d, up to 365000d)")
            return nil
        }
        return duration
    }

    func number(_ key: String) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), value.isFinite else {
            log.add(line(of: key), "\(child(key)): expected a number, found '\(text)'")
            return nil
        }
        return value
    }

    func list(_ key: String) -> [ConfigNode] {
        guard let value = self[key] else { return [] }
        switch value.value {
        case .sequence(let items): return items
        case .null: return []
        default:
            log.add(value.line, "\(child(key)): expected a list, found \(value.kindName)")
            return []
        }
    }

    func mapping(_ key: String) -> ConfigMapping? {
        guard let value = self[key] else { return nil }
        return ConfigMapping(value, path: child(key), log: log)
    }

    /// A mapping of string to string, such as `headers`. `check` may refuse an entry with the reason, which
    /// is logged at its line; a refused entry is left out.
    func stringMap(_ key: String, check: (String, String) -> String? = { _, _ in nil }) -> [String: String] {
        guard let map = mapping(key) else { return [:] }
        var result: [String: String] = [:]
        for entry in map.entries {
            guard let value = map.string(entry.key) else { continue }
            if let problem = check(entry.key, value) {
                log.add(entry.keyLine, "\(map.child(entry.key)): \(problem)")
            } else {
                result[entry.key] = value
            }
        }
        return result
    }

    func line(of key: String) -> Int { self[key]?.line ?? node.line }
}
