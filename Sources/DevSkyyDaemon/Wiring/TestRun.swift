import DevSkyyCollect
import DevSkyyCore

/// `devskyyd --test COLLECTOR`: one fetch without a running daemon; nothing is written.
public enum TestRun {
    public static func explain(_ name: String, config: DaemonConfig) async -> Explanation? {
        let engine = CurlEngine()
        let explanation = await CollectorExplainer(
            collectors: config.collectors, engine: engine, keys: RedisKeys(prefix: config.redis.keyPrefix)
        ).explain(name)
        await engine.shutdown()
        return explanation
    }
}
