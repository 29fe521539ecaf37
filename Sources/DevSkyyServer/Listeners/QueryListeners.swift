import DevSkyyCore
import DevSkyyStore
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The query server's listeners: one router served on TCP and on a Unix socket, each an `Application`.
public enum QueryListeners {
    /// Builds a service per enabled listener.
    /// - Parameters:
    ///   - orchestration: what the orchestration routes read; the bound listeners are filled in here.
    ///   - onBound: called with a description of each listener once it accepts connections.
    public static func services(
        listen: ListenSettings, store: SnapshotStore, explain: @escaping QueryRouter.Explain, reader: TimeSeriesReader? = nil,
        events: EventLog? = nil, hub: EventHub? = nil, partnerships: PartnershipDependencies? = nil,
        orchestration: OrchestrationRoutes.Dependencies = .init(), access: AccessControl? = nil, auth: AuthRoutes.Dependencies? = nil,
        oauth: OAuthTokenRoute.Dependencies? = nil, logger: Logger,
        onBound: @escaping @Sendable (String) async -> Void
    ) -> [any Service] {
        let bound = BoundListeners(expected: listen.enabledCount)
        var orchestration = orchestration
        orchestration.listeners = bound
        let announce = onBound
        let onBound: @Sendable (String) async -> Void = { description in
            bound.add(description)
            await announce(description)
        }
        let api = APISettings(listen)
        let router = QueryRouter.build(
            store: store, explain: explain, reader: reader, events: events, hub: hub, partnerships: partnerships,
            orchestration: orchestration, api: api, access: access, auth: auth, oauth: oauth, logger: logger)
        let server = server(store: store, api: api, limits: ConnectionLimits(listen), access: access)
        let loops = eventLoops(threads: listen.eventLoopThreads(cores: System.coreCount))
        var services: [any Service] = []
        if let tcp = listen.tcp {
            services.append(
                Application(
                    router: router,
                    server: server,
                    configuration: .init(address: .hostname(tcp.host, port: tcp.port), serverName: nil),
                    onServerRunning: { channel in
                        let port = channel.localAddress?.port ?? tcp.port
                        await onBound("tcp \(HostPort(host: tcp.host, port: port))")
                    },
                    eventLoopGroupProvider: .shared(loops),
                    logger: logger
                )
            )
        }
        if let path = listen.unixPath {
            let mode = listen.unixMode
            let app = Application(
                router: router,
                server: server,
                configuration: .init(address: .unixDomainSocket(path: path), serverName: nil),
                onServerRunning: { _ in
                    UnixSocketFile.setMode(path: path, mode: mode)
                    await onBound("unix \(path)")
                },
                eventLoopGroupProvider: .shared(loops),
                logger: logger
            )
            services.append(UnixSocketListener(path: path, app: app))
        }
        return services
    }
}

extension QueryListeners {
    /// Event-loop groups by thread count, kept for the process's life as NIO's own shared group is: a daemon starts
    /// one, and tests that start many servers share them instead of leaving threads behind.
    private static let groups = NIOLockedValueBox<[Int: MultiThreadedEventLoopGroup]>([:])

    static func eventLoops(threads: Int) -> MultiThreadedEventLoopGroup {
        groups.withLockedValue { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            groups[threads] = group
            return group
        }
    }

    /// HTTP/1.1 connections, each with its own fast path for the snapshot's routes ahead of the router, held to `limits`
    /// (`GuardedHTTP1Channel`). Each server built from it counts its own connections: one per listener.
    ///
    /// The fast path's requests never reach Hummingbird's connection-state handler, which would count a connection
    /// busy with them as idle: keep the channel's `idleTimeout` off while the fast path is in place (the guard's own
    /// timeouts see every request).
    public static func server(
        store: SnapshotStore, api: APISettings = .init(), limits: ConnectionLimits = .init(), access: AccessControl? = nil
    ) -> HTTPServerBuilder {
        let extra: HTTPFields =
            CORSAllowlistMiddleware<APIRequestContext>.variesByOrigin(api.corsAllowedOrigins) ? [.vary: "Origin"] : [:]
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, stats: store.connections) {
                [SnapshotFastPath(store: store, extraFields: extra, access: access)]
            }
        }
    }
}

/// Serves an application on a Unix socket: a stale socket file is replaced, and the file is removed on exit.
struct UnixSocketListener<App: Service>: Service {
    let path: String
    let app: App

    func run() async throws {
        try UnixSocketFile.prepare(path: path)
        defer { UnixSocketFile.remove(path: path) }
        try await app.run()
    }
}
