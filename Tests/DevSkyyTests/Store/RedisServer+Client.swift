import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport

extension RedisServer {
    /// A client of this server with default settings.
    func client() throws -> RedisClient {
        RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(url).get()))
    }
}
