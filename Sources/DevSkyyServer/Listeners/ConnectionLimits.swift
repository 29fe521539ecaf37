import DevSkyyCore
import HummingbirdCore
import NIOCore

/// What a listener holds each connection to, from the `listen` section of the configuration.
public struct ConnectionLimits: Sendable, Equatable {
    /// Time to receive a whole request once its first byte (or the connection) arrived.
    public var readTimeout: TimeAmount
    /// Time between an answer and the next request's first byte.
    public var idleTimeout: TimeAmount
    /// Connections open at once per listener; the next is answered 503 and closed.
    public var maxConnections: Int

    /// The request line and header fields together, and any one field, in bytes: over it is 431. NIO's own default,
    /// set here so the README and the answers can name it.
    static let maxHeadBytes = 80 * 1_024
    /// Header fields in one request: more is 431.
    static let maxHeaderFields = 1_000
    /// The most a refused connection is kept to read its request before it closes: long enough for a request sent at
    /// once to arrive whole (closing on unread bytes resets the connection, and the client may lose the answer), short
    /// enough that refusing stays cheap.
    static let refusalLinger = TimeAmount.seconds(1)

    public init(
        readTimeout: TimeAmount = TimeAmount(ListenSettings.defaultReadTimeout),
        idleTimeout: TimeAmount = TimeAmount(ListenSettings.defaultIdleTimeout),
        maxConnections: Int = ListenSettings.defaultMaxConnections
    ) {
        self.readTimeout = readTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    public init(_ listen: ListenSettings) {
        self.init(
            readTimeout: TimeAmount(listen.readTimeout), idleTimeout: TimeAmount(listen.idleTimeout), maxConnections: listen.maxConnections)
    }

    /// The HTTP/1.1 decoder's limits.
    static var decoder: HTTP1Channel.Configuration.DecoderConfiguration {
        .init(maxHeaderFieldSize: maxHeadBytes, maxHeaderListSize: maxHeadBytes, maxHeaderFieldCount: maxHeaderFields)
    }
}
