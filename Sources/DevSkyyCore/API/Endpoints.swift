/// The routes whose request and answer types the daemon and devskyyctl share (`Endpoint`). The other routes are
/// declared by the daemon alone so far and read by devskyyctl as untyped JSON.
public enum Endpoints {
    public static let collectors = Endpoint(.get, "/api/v1/collectors", answer: CollectorsAnswer.self)
    public static let collectorTest = Endpoint(.post, "/api/v1/collectors/{name}/test", answer: Explanation.self)
    public static let partnerships = Endpoint(.get, "/api/v1/partnerships", answer: PartnershipsAnswer.self)
    public static let deliverableUpdate = Endpoint(
        .put, "/api/v1/partnerships/{id}/deliverables/{deliverable_id}", body: DeliverableUpdateRequest.self, answer: DeliverableAnswer.self
    )
    public static let login = Endpoint(.post, "/api/v1/auth/login", body: LoginRequest.self, answer: TokenAnswer.self)
    public static let refresh = Endpoint(.post, "/api/v1/auth/refresh", body: RefreshRequest.self, answer: TokenAnswer.self)
}
