import PlaytestCore
import PlaytestServices
import Prometheus
import Vapor

/// What the server needs beyond the services.
public struct ServerOptions: Sendable {
    /// Workers this process runs itself (`serve --workers N`).
    public var embeddedWorkers: Int

    public init(embeddedWorkers: Int) {
        self.embeddedWorkers = embeddedWorkers
    }
}

/// Installs middleware and routes on `app`. Every feature registers its controllers here; each controller talks to
/// the services only. Responses are written in the one JSON convention (`JSONResponse`); nothing changes Vapor's
/// shared `ContentConfiguration`.
public func configurePlaytest(_ app: Application, services: Services, metrics: PlaytestMetrics, options: ServerOptions) throws {
    app.middleware = Middlewares()
    app.middleware.use(RequestObservationMiddleware(metrics: metrics))
    app.middleware.use(JSONErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.routes.defaultMaxBodySize = "1mb"

    let configuration = services.configuration
    let api = app.grouped("api", "v1")
    try api.register(collection: HealthController(
        health: services.health, agentRuntime: AgentRuntimeProbe(pythonPath: configuration.pythonPath), embeddedWorkers: options.embeddedWorkers))
    try api.register(collection: MapsController(
        maps: services.maps, progressions: services.progressions, maxUploadBytes: configuration.maxUploadBytes, temporaryDirectory: configuration.dataDirectory + "/tmp"))
    for kind in RunKind.allCases {
        try api.register(collection: RunKindController(kind: kind, launcher: services.launcher, reports: services.reports))
    }
    try api.register(collection: RunsController(reports: services.reports))
    try api.register(collection: JobsController(queue: services.queue))
    try api.register(collection: OpenAPIController())
    LiveController(live: services.live, reports: services.reports).register(on: app)
    try app.register(collection: WebController(services: services))

    app.get("metrics") { _ async throws -> Response in
        metrics.setQueueDepth(try await services.queue.depth())
        metrics.setWorkersAlive(try await services.queue.aliveWorkers().count)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: metrics.registry.emitToString()))
    }
}
