import PlaytestCore
import PlaytestServices
import Prometheus
import Vapor

/// What the server needs beyond the services.
public struct ServerOptions: Sendable {
    /// Workers this process runs itself (`serve --workers N`).
    public var embeddedWorkers: Int
    /// Lets the first administrator be created from another machine; logged by `serve` while there are no users.
    let setupToken = SetupToken()

    public init(embeddedWorkers: Int) {
        self.embeddedWorkers = embeddedWorkers
    }

    /// The token to log at start while the instance has no users.
    public var setupTokenValue: String { setupToken.value }
}

/// Installs middleware and routes on `app`. Every feature registers its controllers here; each controller talks to
/// the services only. Responses are written in the one JSON convention (`JSONResponse`); nothing changes Vapor's
/// shared `ContentConfiguration`.
public func configurePlaytest(_ app: Application, services: Services, metrics: PlaytestMetrics, options: ServerOptions) throws {
    app.middleware = Middlewares()
    app.trustedProxies = TrustedProxies(services.configuration.trustedProxies)
    app.middleware.use(RequestObservationMiddleware(metrics: metrics))
    if !services.configuration.corsOrigins.isEmpty {
        app.middleware.use(CORSMiddleware(origins: Set(services.configuration.corsOrigins)))
    }
    app.middleware.use(JSONErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(AccessMiddleware(accounts: services.accounts, rateLimits: services.rateLimits))
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
    try api.register(collection: AuthController(accounts: services.accounts, setup: options.setupToken))
    try api.register(collection: UsersController(accounts: services.accounts))
    try api.register(collection: AnalysisController(analysis: services.analysis))
    try api.register(collection: LeaderboardsController(progress: services.progress, reports: services.reports))
    try api.register(collection: BugsController(findings: services.findings))
    try api.register(collection: PlayersController(players: services.players, analytics: services.playerAnalytics, metrics: metrics))
    LiveController(live: services.live, reports: services.reports).register(on: app)
    try app.register(collection: WebController(services: services, setupToken: options.setupToken))

    // Public unless PLAYTEST_METRICS_TOKEN is set; then the scraper sends it as a bearer token.
    app.access(.open).get("metrics") { request async throws -> Response in
        if let token = configuration.metricsToken {
            guard let presented = request.headers.first(name: .authorization), Accounts.secretsMatch(presented, "Bearer " + token) else {
                throw APIError.unauthenticated("/metrics needs Authorization: Bearer <PLAYTEST_METRICS_TOKEN>")
            }
        }
        metrics.setQueueDepth(try await services.queue.depth())
        metrics.setWorkersAlive(try await services.queue.aliveWorkers().count)
        metrics.setAnalysisCache(services.analysis.cache.hitsAndMisses)
        metrics.setPlayerProgress(try await services.players.health())
        return metrics.exposition()
    }
}
