import PlaytestStorage
import Prometheus
import Vapor

/// What the server needs beyond the engines.
public struct ServerOptions: Sendable {
    /// Workers this process runs itself (`serve --workers N`).
    public var embeddedWorkers: Int
    public var library: MapLibrary
    public init(embeddedWorkers: Int, library: MapLibrary) {
        self.embeddedWorkers = embeddedWorkers
        self.library = library
    }
}

/// Installs middleware and routes on `app`. Every feature registers its controllers here.
public func configurePlaytest(_ app: Application, engines: PlaytestEngines, metrics: PlaytestMetrics, options: ServerOptions) throws {
    app.middleware = Middlewares()
    app.middleware.use(RequestObservationMiddleware(metrics: metrics))
    app.middleware.use(JSONErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.routes.defaultMaxBodySize = "1mb"
    // One JSON style for the whole API: snake_case keys, ISO 8601 dates.
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)

    let api = app.grouped("api", "v1")
    let runtime = AgentRuntimeProbe(pythonPath: engines.configuration.pythonPath)
    try api.register(collection: HealthController(engines: engines, agentRuntime: runtime, embeddedWorkers: options.embeddedWorkers))
    try api.register(collection: MapsController(
        library: options.library, blobs: engines.blobs, maxUploadBytes: engines.configuration.maxUploadBytes,
        temporaryDirectory: engines.configuration.dataDirectory + "/tmp"))
    let runs = RunEndpointServices(engines: engines, library: options.library)
    try api.register(collection: TestingController(services: runs))
    try api.register(collection: TrainingController(services: runs))
    try api.register(collection: RunsController(services: runs))
    LiveController(live: RunLiveState(live: engines.live), runs: runs.runs).register(on: app)
    try api.register(collection: JobsController(queue: engines.queue, workers: engines.workers))
    try app.register(collection: WebController(engines: engines, library: options.library))

    app.get("metrics") { _ async throws -> Response in
        let counts = try await engines.queue.counts()
        metrics.setQueueDepth(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
        metrics.setWorkersAlive(try await engines.workers.alive().count)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: metrics.registry.emitToString()))
    }
}
