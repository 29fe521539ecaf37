import DevSkyyCore
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's, plus which listener the request came in on, the peer's
/// address, and who the request acts for once the access layer has checked its credentials.
public struct APIRequestContext: RequestContext {
    /// The listener a request arrived on; each sets its own trust policy.
    public enum Transport: Sendable, Equatable {
        case tcp
        case unix
    }

    public var coreContext: CoreRequestContextStorage
    public let transport: Transport
    /// The peer's IP address on TCP (nil on the Unix socket): what rate limits count anonymous callers by.
    public let clientAddress: String?
    /// Set by the access layer; nil for an anonymous request (allowed only on the routes `auth.anonymous` names).
    public var caller: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let local = source.channel.localAddress
        if case .unixDomainSocket = local {
            transport = .unix
            clientAddress = nil
        } else {
            transport = .tcp
            clientAddress = source.channel.remoteAddress?.ipAddress
        }
    }
}
