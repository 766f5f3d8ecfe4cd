import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Seed 001's service layer, built once from the engines: the entry points the HTTP server, the worker and the CLI
/// use. Each domain has its folder (`Maps/`, `Runs/`, `Operations/`); later ones (`Accounts/`, `Findings/`,
/// `Progress/`, `Leaderboards/`) add their entry point here.
public struct Services: Sendable {
    public let engines: PlaytestEngines
    /// The map library: import, list, analyse, delete.
    public let maps: MapLibrary
    /// Can each map be finished: the progression planner's verdicts.
    public let progressions: MapProgressions
    /// Start and stop requests.
    public let launcher: RunLauncher
    /// The one owner of a run's status changes.
    public let lifecycle: RunLifecycle
    /// Everything clients read about runs.
    public let reports: RunReports
    /// Live progress: subscriptions to runs' channels.
    public let live: RunLiveState
    /// What a worker needs to play runs.
    public let playback: RunPlayback
    /// The queue and its workers.
    public let queue: QueueOverview
    public let health: SystemHealth
    /// Users, sign-in, tokens, API keys and the audit log.
    public let accounts: Accounts
    /// Request and sign-in rate limits in the live store.
    public let rateLimits: RateLimits
    /// Map profiles, comparisons and the platform's statistics.
    public let analysis: Analysis
    /// Agents' live state, milestones and confidence trends.
    public var progress: AgentProgress { playback.progress }
    /// The leaderboards.
    public var leaderboards: Leaderboards { playback.progress.leaderboards }
    /// Restores the live store's boards and sessions from SQL.
    public let liveRebuild: LiveRebuild
    /// Every map's findings, static and from play, with their triage: the bugs API.
    public var findings: Findings { playback.findings }
    /// Players' progress per experience (seed 002).
    public let players: PlayerProgress
    /// Player-progress analytics, humans against agents.
    public let playerAnalytics: PlayerAnalytics
    /// What is past its age, deleted periodically.
    public let retention: Retention

    /// `baseResources`: the IWAD textures user maps run on (freedoom2), so map checks do not flag them.
    /// `hasher`: bcrypt, from the server; processes that sign nobody in (the worker) may leave the default, which refuses.
    public init(engines: PlaytestEngines, baseResources: MapResources? = nil, hasher: any PasswordHasher = NoPasswordHasher(), logger: Logger) {
        self.engines = engines
        maps = MapLibrary(engines: engines, baseResources: baseResources)
        progressions = MapProgressions(engines: engines, library: maps)
        lifecycle = RunLifecycle(engines: engines, logger: logger)
        launcher = RunLauncher(engines: engines, lifecycle: lifecycle)
        reports = RunReports(engines: engines)
        live = RunLiveState(live: engines.live)
        playback = RunPlayback(engines: engines, lifecycle: lifecycle, library: maps)
        queue = QueueOverview(engines: engines, lifecycle: lifecycle)
        health = SystemHealth(engines: engines, queue: queue)
        rateLimits = RateLimits(live: engines.live, settings: engines.configuration.access, logger: logger)
        players = PlayerProgress(engines: engines, logger: logger)
        playerAnalytics = PlayerAnalytics(engines: engines)
        accounts = Accounts(engines: engines, hasher: hasher, limits: rateLimits, library: maps, players: players, logger: logger)
        analysis = Analysis(engines: engines, library: maps, logger: logger)
        liveRebuild = LiveRebuild(engines: engines, progress: playback.progress, logger: logger)
        retention = Retention(engines: engines)
    }

    /// The services on the engines, with freedoom2's textures for the map checks when the agent runtime's venv has
    /// the vizdoom package.
    public static func standard(engines: PlaytestEngines, hasher: any PasswordHasher = NoPasswordHasher(), logger: Logger) -> Services {
        let vizdoom = BuiltinMaps.vizdoomDirectory(pythonPath: engines.configuration.pythonPath)
        return Services(engines: engines, baseResources: BuiltinMaps.baseResources(vizdoomDirectory: vizdoom), hasher: hasher, logger: logger)
    }

    /// The configuration the engines were opened with.
    public var configuration: Configuration { Configuration(engines.configuration) }
}

extension Services {
    /// What the adapters need to know of the configuration.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var maxUploadBytes: Int
        public var dataDirectory: String
        public var pythonPath: String
        /// `GET /metrics` asks for this bearer token when set.
        public var metricsToken: String?
        /// Session cookies always carry `Secure`.
        public var secureCookies: Bool
        /// Origins whose pages may call the API (CORS); empty: none.
        public var corsOrigins: [String]
        /// Proxies besides loopback whose `X-Forwarded-For` is believed.
        public var trustedProxies: [String]

        init(_ configuration: PlaytestConfiguration) {
            metricsToken = configuration.access.metricsToken
            secureCookies = configuration.access.secureCookies
            corsOrigins = configuration.access.corsOrigins
            trustedProxies = configuration.access.trustedProxies
            host = configuration.host
            port = configuration.port
            maxUploadBytes = configuration.maxUploadBytes
            dataDirectory = configuration.dataDirectory
            pythonPath = configuration.pythonPath
        }
    }
}

extension Services {
    /// An error for a log line: a database error as the server worded it (SQLSTATE code, message, detail), never
    /// PostgresNIO's generic text; anything else as it describes itself.
    public static func describe(_ error: any Error) -> String {
        DatabaseError.describe(error)
    }

    /// An engine is out for now (``EngineOutage``): worth asking again shortly.
    public static func isOutage(_ error: any Error) -> Bool {
        EngineOutage.matches(error)
    }
}
