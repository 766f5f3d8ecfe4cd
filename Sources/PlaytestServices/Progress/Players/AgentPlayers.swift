import Foundation
import PlaytestCore
import PlaytestStorage

/// Agents recorded as players (docs/player-progress.md, "Agents as players"): every episode of a finished test run
/// becomes progress of the agent's player (a `kind = agent` profile of an inactive `agent:{name}` user) on the map's
/// experience `{map_id}/{MAP01}`, with the conventions a Doom game client uses too:
/// - each sector entered: `waypoint_visited` `sector:{n}`;
/// - keys, weapons and items: `item_collected` `key:blue_card`, `weapon:shotgun`, `ammo:shotgun`, `item:health`,
///   `item:armor`, and `item:{n}` for the n-th item the game counts (power-ups, bonuses): the inventory, each once per
///   episode;
/// - secrets and the exit: `secret_found` `secret:{n}`, `exit_reached` `exit` (an exit completes the experience);
/// - the episode's end: `episode_ended` at the sector it ended in, with its outcome and time in `data`.
///
/// Client event ids name the run and episode, so recording a run again (a retried completion) stores nothing twice.
public struct AgentPlayers: Sendable {
    let players: PlayerProgressStore
    let users: UserStore
    let milestones: AgentProgressStore
    let tests: TestTelemetryStore

    public init(engines: PlaytestEngines) {
        self.players = PlayerProgressStore(sql: engines.sql)
        self.users = UserStore(sql: engines.sql)
        self.milestones = AgentProgressStore(sql: engines.sql)
        self.tests = TestTelemetryStore(sql: engines.sql)
    }

    public static func experience(mapID: String, map: String) -> String { "\(mapID)/\(map)" }

    /// Weapon slots as VizDoom reports them (`SELECTED_WEAPON`).
    static let weapons = [1: "fist", 2: "pistol", 3: "shotgun", 4: "chaingun", 5: "rocket_launcher", 6: "plasma_rifle", 7: "bfg9000"]

    /// Records the run's finished episodes as its agent's progress on the map.
    func record(runID: String, agent: String, mapID: String, map: String, geometry: MapGeometry?, entered: [Int: [Int]]) async throws {
        let episodes = try await tests.episodes(runID: runID, withEvents: true)
        guard !episodes.isEmpty else { return }
        let user = try await users.ensureAgentUser(agent)
        let profile = try await players.ensureProfile(userID: user, kind: "agent")
        let experience = try PlayerProgress.checkExperience(Self.experience(mapID: mapID, map: map))
        let keys = try await milestones.milestones(runID: runID)
        for episode in episodes {
            let sectors = entered[episode.episodeNum] ?? []
            let end = episode.finalPosition.flatMap { geometry?.sector(at: $0) } ?? sectors.last
            let keysFound = keys.filter { $0.episode == episode.episodeNum && $0.milestone.rawValue.hasPrefix("key_") }
                .map { "key:" + $0.milestone.rawValue.dropFirst(4) }
            let events = Self.events(runID: runID, episode: episode, sectors: sectors, end: end, keys: keysFound, at: Date())
            try await commit(events, episode: episode, experience: experience, profile: profile)
        }
    }

    private func commit(_ events: [ProgressEventRecord], episode: EpisodeMetrics, experience: String, profile: PlayerProfileRecord) async throws {
        for _ in 0..<5 {
            let now = Date()
            let current = try await players.progress(playerID: profile.id, experienceID: experience)
                ?? PlayerProgress.newProgress(playerID: profile.id, experienceID: experience, at: now)
            let committed = try await players.commit(events, to: current) { stored, record in
                guard !stored.isEmpty else { return }
                PlayerProgress.apply(stored, to: &record)
                record.playtimeSeconds += Int(episode.durationSeconds.rounded())
                if episode.exitReached {
                    record.completionPercentage = 100
                    record.completedAt = record.completedAt ?? now
                } else if let coverage = episode.coverage {
                    record.completionPercentage = max(record.completionPercentage, min(99, (coverage * 100).rounded()))
                }
                record.lastPlayedAt = now
                record.updatedAt = now
            }
            if committed != nil { return }
        }
        throw PlayerProgressError.versionMismatch(current: -1)
    }

    static func events(runID: String, episode: EpisodeMetrics, sectors: [Int], end: Int?, keys: [String], at now: Date) -> [ProgressEventRecord] {
        let prefix = "\(runID):\(episode.episodeNum)"
        var events: [ProgressEventRecord] = []
        func add(_ type: String, _ content: String, _ id: String, _ data: [String: JSONValue] = [:]) {
            events.append(ProgressEventRecord(id: UUID().uuidString.lowercased(), eventType: type, contentID: content, data: .object(data),
                                              locationLat: nil, locationLng: nil, timestamp: now, clientEventID: "\(prefix):\(id)"))
        }
        for sector in sectors { add("waypoint_visited", "sector:\(sector)", "s\(sector)") }
        for key in keys { add("item_collected", key, key) }
        var collected = Set<String>()
        func collect(_ item: String) { if collected.insert(item).inserted { add("item_collected", item, item) } }
        var secrets = 0
        for event in episode.events {
            switch event.detail {
            case .weaponPickup(let slot):
                collect("weapon:" + (Self.weapons[slot] ?? "slot\(slot)"))
            case .ammoPickup(let slot, _, _, _):
                collect("ammo:" + (Self.weapons[slot] ?? "slot\(slot)"))
            case .healthPickup:
                collect("item:health")
            case .armorPickup:
                collect("item:armor")
            case .itemPickup(let count):
                collect("item:\(count)")
            case .secretFound:
                secrets += 1
                add("secret_found", "secret:\(secrets)", "secret\(secrets)", ["tic": .number(JSONNumber(event.frame))])
            case .exitReached:
                add("exit_reached", "exit", "exit", ["tic": .number(JSONNumber(event.frame)), "seconds": .number(JSONNumber(double: episode.durationSeconds, integer: nil))])
            default:
                break
            }
        }
        let outcome = episode.exitReached ? "exit" : (episode.endReason?.rawValue ?? "ended")
        var data: [String: JSONValue] = [
            "run_id": .string(runID), "episode": .number(JSONNumber(episode.episodeNum)), "outcome": .string(outcome),
            "seconds": .number(JSONNumber(double: episode.durationSeconds, integer: nil)), "kills": .number(JSONNumber(episode.kills)),
        ]
        if let coverage = episode.coverage { data["coverage"] = .number(JSONNumber(double: coverage, integer: nil)) }
        add("episode_ended", end.map { "sector:\($0)" } ?? "start", "end", data)
        return events
    }
}
