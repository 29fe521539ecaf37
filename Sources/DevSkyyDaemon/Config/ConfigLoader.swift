import DevSkyyCore
import Foundation
import Yams

/// Reads the YAML configuration file into a validated `DaemonConfig`.
public struct ConfigLoader: Sendable {
    public static let defaultPath = "/etc/devskyy/devskyyd.yaml"

    private let environment: [String: String]

    /// - Parameter environment: used for `${VAR}` expansion and `DEVSKYY_REDIS_URL`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func load(path: String) throws(ConfigError) -> DaemonConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(issues: [.init(file: path, line: 0, message: "cannot read the file: \(Self.whyUnreadable(path))")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [.init(file: path, line: 0, message: "the file is not UTF-8 text")])
        }
        return try load(yaml: text, file: path)
    }

    public func load(yaml: String, file: String) throws(ConfigError) -> DaemonConfig {
        let root: ConfigNode
        do {
            root = try Yams.compose(yaml: yaml).map(Self.convert) ?? ConfigNode(.null, line: 1)
        } catch let error as YamlError {
            throw ConfigError(issues: [Self.issue(for: error, file: file)])
        } catch {
            throw ConfigError(issues: [.init(file: file, line: 0, message: "cannot parse YAML")])
        }
        guard root.value != .null else {
            throw ConfigError(issues: [
                .init(
                    file: file, line: 1,
                    message: "the file is empty (or only comments): nothing to collect; start from the example etc/devskyy/devskyyd.yaml")
            ])
        }
        let decoder = ConfigDecoder(file: file, environment: environment) { path in
            FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
        }
        return try decoder.decode(root)
    }

    /// The system's reason a file cannot be read (no such file, permission denied, a directory…).
    static func whyUnreadable(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return String(cString: strerror(errno)).lowercased() }
        defer { close(fd) }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) < 0 ? String(cString: strerror(errno)).lowercased() : "it changed while being read"
    }

    static func convert(_ node: Node) -> ConfigNode {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return ConfigNode(.null, line: line) }
            return ConfigNode(.scalar(scalar.string), line: line)
        case .mapping(let mapping):
            let entries = mapping.map { key, value in
                ConfigNode.Entry(key: key.string ?? "", keyLine: key.mark?.line ?? line, value: convert(value))
            }
            return ConfigNode(.mapping(entries), line: line)
        case .sequence(let sequence):
            return ConfigNode(.sequence(sequence.map(convert)), line: line)
        case .alias:
            return ConfigNode(.null, line: line)
        }
    }

    static func issue(for error: YamlError, file: String) -> ConfigIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .init(file: file, line: mark.line, message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .init(file: file, line: context.mark.line, message: "keys given twice: \(duplicates.joined(separator: ", "))")
        default:
            return .init(file: file, line: 0, message: "cannot parse YAML")
        }
    }
}
