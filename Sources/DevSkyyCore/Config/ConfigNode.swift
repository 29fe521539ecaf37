/// A parsed configuration document: a YAML-shaped tree that remembers where each node stood.
///
/// Core stays free of any YAML library; the daemon turns its parser's output into this tree,
/// so validation (and its `file:line` errors) is pure and testable without files.
public struct ConfigNode: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case scalar(String)
        case mapping([Entry])
        case sequence([ConfigNode])
        case null
    }

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var keyLine: Int
        public var value: ConfigNode

        public init(key: String, keyLine: Int, value: ConfigNode) {
            self.key = key
            self.keyLine = keyLine
            self.value = value
        }
    }

    public var value: Value
    /// 1-based line in the source file.
    public var line: Int

    public init(_ value: Value, line: Int) {
        self.value = value
        self.line = line
    }

    /// The plain text of a scalar under `key` in this mapping, as written (no `${VAR}` expansion, nothing logged).
    func scalar(_ key: String) -> String? {
        guard case .mapping(let entries) = value, let entry = entries.first(where: { $0.key == key }),
            case .scalar(let text) = entry.value.value
        else { return nil }
        return text
    }

    var kindName: String {
        switch value {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .null: "nothing"
        }
    }
}
