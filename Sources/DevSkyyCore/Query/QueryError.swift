/// A query that cannot be answered as asked: names the parameter at fault and says why.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Code: Sendable, Equatable {
        case invalid
        case tooLarge
    }

    let code: Code
    /// The request parameter at fault: `match`, `series`, `from`, `to`, `step`, `agg`, `resolution`, `max_points`.
    public let parameter: String
    public let message: String

    public static func invalid(_ parameter: String, _ message: String) -> QueryError {
        .init(code: .invalid, parameter: parameter, message: message)
    }

    static func tooLarge(_ parameter: String, _ message: String) -> QueryError {
        .init(code: .tooLarge, parameter: parameter, message: message)
    }

    /// True when the query is well formed but asks for more than the limits allow.
    public var isTooLarge: Bool { code == .tooLarge }

    public var description: String { "\(parameter): \(message)" }
}
