import DevSkyyCore
import Foundation

/// A file of `NAME=value` lines as systemd's `EnvironmentFile=` reads them (`/etc/default/devskyyd`), for
/// `devskyyd --env-file`: so that `--check-config` run by hand sees the same `${VAR}`s the unit gives the
/// daemon. Blank lines and lines starting with `#` or `;` are skipped; a value may be in single or double
/// quotes; a leading `export ` is allowed as shells write it. Written here because no package on the mirror
/// reads this format, and it is a few lines.
public enum EnvironmentFile {
    /// The variables of the file at `path`, or every problem as `file:line` issues (never a value: they are secrets).
    public static func load(path: String) throws(ConfigError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [
                .init(file: path, line: 0, message: "cannot read the environment file: \(ConfigLoader.whyUnreadable(path))")
            ])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> [String: String] {
        var variables: [String: String] = [:]
        var issues: [ConfigIssue] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                issues.append(.init(file: file, line: index + 1, message: "expected NAME=value"))
                continue
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard let first = name.first, first == "_" || (first.isASCII && first.isLetter),
                name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            else {
                issues.append(.init(file: file, line: index + 1, message: "'\(name)' is not a variable name"))
                continue
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            variables[name] = value
        }
        guard issues.isEmpty else { throw ConfigError(issues: issues) }
        return variables
    }
}
