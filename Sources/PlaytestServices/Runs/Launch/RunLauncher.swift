import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Turns a start request into a run: checks everything a user can get wrong (map, map name, episodes, agent,
/// checkpoint and its action set, params), then has the lifecycle store the run with its resolved `RunPlan` and
/// enqueue its job. A refused request creates nothing.
public struct RunLauncher: Sendable {
    public static let agents = ["random", "explorer", "navigator", "dqn"]
    public static let navigatorEpisodeSeconds = 600
    public static let maxEpisodes = 1000
    public static let maxIterations = 10_000_000

    let engines: PlaytestEngines
    let maps: MapStore
    let runs: RunStore
    let catalog: CheckpointCatalog
    let lifecycle: RunLifecycle

    public init(engines: PlaytestEngines, lifecycle: RunLifecycle) {
        self.engines = engines
        self.maps = MapStore(sql: engines.sql)
        self.runs = RunStore(sql: engines.sql)
        self.catalog = CheckpointCatalog(
            agentDirectory: engines.configuration.agentDirectory, telemetry: TrainingTelemetryStore(sql: engines.sql))
        self.lifecycle = lifecycle
    }

    // MARK: start

    public func startTest(_ request: TestRunRequest, by actor: Principal = .local) async throws -> RunStarted {
        try actor.require(.user, to: "starting runs")
        let map = try await mapRecord(request.mapID)
        let mapName = try Self.mapName(request.map, in: map)
        guard (1...Self.maxEpisodes).contains(request.episodes) else {
            throw RunRequestError.invalid("episodes must be in 1...\(Self.maxEpisodes), got \(request.episodes)")
        }
        if let agent = request.agent, !Self.agents.contains(agent) {
            throw RunRequestError.invalid("agent must be one of \(Self.agents.joined(separator: ", ")), got \(agent.debugDescription)")
        }
        if request.checkpoint != nil, let agent = request.agent, agent != "dqn" {
            throw RunRequestError.invalid("a checkpoint is played by the dqn agent; leave agent out or set it to dqn (got \(agent.debugDescription))")
        }
        let combinations = try Self.combinations(request.actionCombinations)
        var plan = RunPlan(mapName: mapName, scenario: map.scenario, agent: request.agent ?? "explorer")
        plan.episodes = request.episodes
        plan.actionCombinations = combinations?.description
        try RunParams.applyTesting(RequestFields(request.params, prefix: "params."), to: &plan)
        plan.scenario = try await scenario(request.params, default: map.scenario)
        // A level is played to its exit by the navigator; a VizDoom scenario (no exit) by the explorer.
        let agent = request.agent ?? (request.checkpoint != nil ? "dqn" : plan.scenario == nil ? "navigator" : "explorer")
        if agent == "navigator", let scenario = plan.scenario {
            throw RunRequestError.invalid("the navigator plays a level to its exit; scenario \(scenario) has none (use explorer, random or dqn)")
        }
        plan.agent = agent
        // Finishing a level takes minutes: the navigator gets 10 minutes of game time unless told otherwise.
        if agent == "navigator", plan.episodeTimeoutTics == nil { plan.episodeTimeoutTics = Self.navigatorEpisodeSeconds * RunParams.ticsPerSecond }
        if agent == "dqn" {
            let reference = request.checkpoint ?? defaultCheckpoint(scenario: plan.scenario)
            let checkpoint = try await catalog.resolve(reference)
            try CheckpointCatalog.requireFit(checkpoint, requested: combinations, .plays)
            plan.checkpoint = checkpoint.reference
        }
        return try await create(kind: .testing, map: map, plan: plan, params: request.params, target: request.episodes, by: actor)
    }

    public func startTraining(_ request: TrainingRunRequest, by actor: Principal = .local) async throws -> RunStarted {
        try actor.require(.user, to: "starting runs")
        let map = try await mapRecord(request.mapID)
        let mapName = try Self.mapName(request.map, in: map)
        guard (1...Self.maxIterations).contains(request.maxIterations) else {
            throw RunRequestError.invalid("max_iterations must be in 1...\(Self.maxIterations), got \(request.maxIterations)")
        }
        var combinations = try Self.combinations(request.actionCombinations)
        var plan = RunPlan(mapName: mapName, scenario: map.scenario, agent: "dqn")
        plan.maxIterations = request.maxIterations
        try RunParams.applyTraining(RequestFields(request.params, prefix: "params."), maxIterations: request.maxIterations, to: &plan)
        plan.scenario = try await scenario(request.params, default: map.scenario)
        if let reference = request.resumeFrom {
            let checkpoint = try await resumeCheckpoint(reference)
            try CheckpointCatalog.requireFit(checkpoint, requested: combinations, .resumes)
            if combinations == nil { combinations = checkpoint.actionCombinations.flatMap { try? ActionCombinations(parsing: $0) } }
            if let iteration = checkpoint.iteration, iteration >= request.maxIterations {
                throw RunRequestError.invalid(
                    "checkpoint \(checkpoint.reference) is already at iteration \(iteration); max_iterations must be larger to train on")
            }
            plan.resumeFrom = checkpoint.reference
        }
        plan.actionCombinations = combinations?.description
        return try await create(kind: .training, map: map, plan: plan, params: request.params, target: request.maxIterations, by: actor)
    }

    /// Stops the given runs of `kind` (every active one the actor may stop when `ids` is nil: all of them for an
    /// admin, their own for a user) and returns the ids that were active. An id of another kind, or of no run, is
    /// ``RunRequestError`` `run_not_found`; someone else's run is ``AccountError/forbidden(_:)``.
    public func stop(kind: RunKind, ids: [String]?, by actor: Principal = .local) async throws -> RunsStopped {
        try actor.require(.user, to: "stopping runs")
        for id in ids ?? [] {
            guard let run = try await runs.run(id: id), run.kind == kind else {
                throw RunRequestError(.notFound, code: "run_not_found", "no \(kind.noun) \(id.debugDescription)")
            }
            try actor.requireChange(ownedBy: run.createdBy, "run \(id)")
        }
        var chosen = ids
        if chosen == nil, actor.role != .admin, let userID = actor.userID {
            chosen = try await OwnedWorkStore(sql: engines.sql).activeRunIDs(userID: userID, kind: kind)
            if chosen?.isEmpty == true { return RunsStopped(kind: kind, ids: []) }
        }
        return RunsStopped(kind: kind, ids: try await lifecycle.requestStop(kind: kind, ids: chosen))
    }

    // MARK: parts

    func mapRecord(_ id: String) async throws -> MapRecord {
        guard let uuid = UUID(uuidString: id) else {
            throw RunRequestError(.notFound, code: "map_not_found", "no map with id \(id.debugDescription) (not a map id)")
        }
        guard let map = try await maps.record(id: uuid) else {
            throw RunRequestError(.notFound, code: "map_not_found", "no map with id \(id.lowercased()) in the library; upload the WAD first")
        }
        return map
    }

    static func mapName(_ requested: String?, in map: MapRecord) throws(RunRequestError) -> String {
        let names = map.mapSummaries.map(\.name)
        guard let requested else {
            guard let first = names.first else { throw RunRequestError.invalid("\(map.filename) has no maps") }
            return first
        }
        guard let found = names.first(where: { $0.caseInsensitiveCompare(requested) == .orderedSame }) else {
            throw RunRequestError(
                .invalid, code: "map_not_in_wad",
                "\(requested.debugDescription) is not a map in \(map.filename); it has \(names.joined(separator: ", "))")
        }
        return found
    }

    static func combinations(_ text: String?) throws(RunRequestError) -> ActionCombinations? {
        guard let text else { return nil }
        do {
            return try ActionCombinations(parsing: text)
        } catch {
            throw RunRequestError.invalid("action_combinations: \(error.message)")
        }
    }

    /// `params.scenario` names one of the bundled VizDoom scenarios (with or without `.cfg`); default: the map's own.
    func scenario(_ params: [String: JSONValue], default fallback: String?) async throws -> String? {
        guard let requested = try RequestFields(params, prefix: "params.").string("scenario") else { return fallback }
        let wanted = requested.hasSuffix(".cfg") ? requested : requested + ".cfg"
        let known = try await maps.scenarios()
        guard known.contains(wanted) else {
            let names = known.map { String($0.dropLast(4)) }.sorted().joined(separator: ", ")
            throw RunRequestError.invalid("params.scenario must be one of the bundled scenarios (\(names)), got \(requested.debugDescription)")
        }
        return wanted
    }

    /// The shipped checkpoint trained on this scenario, else the general one.
    func defaultCheckpoint(scenario: String?) -> String {
        let stem = scenario.map { $0.hasSuffix(".cfg") ? String($0.dropLast(4)) : $0 }
        if let stem, catalog.builtin()[stem] != nil { return stem }
        return "general"
    }

    func resumeCheckpoint(_ reference: String) async throws -> ResolvedCheckpoint {
        guard reference.hasPrefix("train_") else { return try await catalog.resolve(reference) }
        guard try await runs.run(id: reference) != nil else {
            throw RunRequestError(.notFound, code: "run_not_found", "no training run \(reference.debugDescription) to resume")
        }
        guard let latest = try await TrainingTelemetryStore(sql: engines.sql).latestCheckpoint(runID: reference) else {
            throw RunRequestError(.invalid, code: "no_checkpoint", "training run \(reference) has no checkpoint yet to resume from")
        }
        return CheckpointCatalog.resolved(latest)
    }

    func create(kind: RunKind, map: MapRecord, plan: RunPlan, params: [String: JSONValue], target: Int, by actor: Principal) async throws -> RunStarted {
        let id = RunIDs.make(kind.idPrefix)
        let jobID = UUID().uuidString.lowercased()
        let run = RunRecord(
            id: id, kind: kind, mapID: try map.requireID(), mapName: plan.mapName, agent: plan.agent,
            checkpoint: plan.checkpoint ?? plan.resumeFrom, params: try StoredJSON.encode(params), plan: try plan.json(),
            target: target, jobID: jobID, createdBy: actor.userID)
        let payload = try StoredJSON.encode(RunJob.Payload(runID: id))
        try await lifecycle.create(run, job: NewJob(kind: RunJob.kind(for: kind), payload: payload, maxAttempts: RunJob.maxAttempts, id: jobID))
        run.$map.value = map
        return try RunStarted(run)
    }
}
