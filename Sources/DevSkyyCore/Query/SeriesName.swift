/// A series name read back into its parts: `technical.followers,platform=instagram`.
public struct SeriesName: Sendable, Equatable, Comparable {
    public let name: String
    public let partnership: String
    public let metric: String
    /// Sorted by name, as in the series name.
    public let labels: [Sample.Label]

    /// Splits a name written by `Sample`: the partnership ends at the first `.`, the metric at the first `,`.
    ///
    /// Partnership ids and metric names hold neither `.` nor `,` (the configuration enforces it). A label
    /// value may hold `,`: a piece that does not start with `name=` belongs to the previous label's value.
    public init(parsing name: String) {
        self.name = name
        guard let dot = name.firstIndex(of: ".") else {
            partnership = ""
            metric = name
            labels = []
            return
        }
        partnership = String(name[..<dot])
        let rest = name[name.index(after: dot)...]
        let pieces = rest.split(separator: ",", omittingEmptySubsequences: false)
        metric = String(pieces[0])
        var labels: [Sample.Label] = []
        for piece in pieces.dropFirst() {
            if let equals = piece.firstIndex(of: "="), LabelMatcher.isLabelName(piece[..<equals]) {
                labels.append(.init(String(piece[..<equals]), String(piece[piece.index(after: equals)...])))
            } else if let previous = labels.popLast() {
                labels.append(.init(previous.name, previous.value + "," + piece))
            }
        }
        self.labels = labels
    }

    /// The value a matcher sees for a label name: `partnership`, `metric`, or a label ("" when absent).
    public func value(of label: String) -> String {
        switch label {
        case "partnership": return partnership
        case "metric": return metric
        default: return labels.first { $0.name == label }?.value ?? ""
        }
    }

    public static func < (a: SeriesName, b: SeriesName) -> Bool { a.name < b.name }
}
