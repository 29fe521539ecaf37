import NIOCore

/// Fails the read of a request body that did not arrive within `listen.read_timeout`: the route reading it answers 408
/// (`ErrorShapeMiddleware`) and the connection ends.
struct RequestReadTimeout: Error {
    let limit: TimeAmount
}
