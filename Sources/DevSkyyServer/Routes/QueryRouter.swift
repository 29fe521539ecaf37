import DevSkyyCore
import Hummingbird

/// The routes served identically on the Unix socket and on TCP.
public enum QueryRouter {
    public static func build(store: SnapshotStore) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("api/v1/orchestration/health") { _, _ in
            json(store.encoded.health)
        }
        router.get("api/v1/orchestration/metrics") { _, _ in
            json(store.encoded.metrics)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: PrometheusExposition.contentType],
                body: .init(byteBuffer: store.encoded.exposition)
            )
        }
        return router
    }

    private static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}
