import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// A bad analysis request, worded for whoever made it.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let message), .notFound(let message): message
        }
    }
}

/// Seed 001's analysis service: a map's profile across its runs, comparisons of maps, agents, checkpoints and
/// versions, and the platform's statistics. Answers are cached (`AnalysisCache`).
public struct Analysis: Sendable {
    let store: AnalysisStore
    let library: MapLibrary
    public let cache: AnalysisCache

    init(engines: PlaytestEngines, library: MapLibrary, logger: Logger) {
        store = AnalysisStore(sql: engines.sql)
        self.library = library
        cache = AnalysisCache(live: engines.live, logger: logger)
    }

    // MARK: map profile

    /// `mapName`: the map inside the WAD (default its first).
    public func profile(mapID: String, mapName: String?) async throws -> Cached<MapProfile> {
        // Keyed by what was asked: a hit reads nothing from SQL. Unknown ids and maps throw, and nothing is cached.
        try await cache.cached("profile:\(mapID.lowercased()):\(mapName?.uppercased() ?? "")", maps: [mapID]) {
            let wad = try await library.map(id: mapID)
            let name = try Self.mapName(mapName, in: wad)
            let episodes = try await store.episodes(AnalysisFilter(mapIDs: [try Self.uuid(wad.id)], mapName: name))
            let hasExit = (wad.maps.first { $0.name == name }?.exits ?? 0) > 0
            let findings = (try? await library.analysis(id: wad.id, mapName: name).report.findings) ?? []
            return Self.profile(wad: wad, map: name, episodes: episodes, hasExit: hasExit, findings: findings)
        }
    }

    static func profile(wad: MapView, map: String, episodes: [AnalysisEpisode], hasExit: Bool, findings: [Finding]) -> MapProfile {
        let played = PlayedEpisode.all(episodes)
        var groups: [MapProfile.Group] = []
        let keyed = Dictionary(grouping: played) { "\($0.skill)|\($0.agent)|\($0.godMode)" }
        for (_, members) in keyed {
            let first = members[0]
            groups.append(MapProfile.Group(
                skill: first.skill, agent: first.agent, godMode: first.godMode, runs: Set(members.map(\.runID)).count,
                figures: figures(members, skill: first.skill, hasExit: hasExit)))
        }
        groups.sort { ($0.skill, $0.agent, $0.godMode ? 1 : 0) < ($1.skill, $1.agent, $1.godMode ? 1 : 0) }
        let curve = (1...5).map { skill -> MapProfile.SkillPoint in
            let mortal = played.filter { $0.skill == skill && !$0.godMode }.map(\.metrics)
            let hardness = HardnessScore(episodes: mortal, skill: skill, mapHasExit: hasExit)
            let resting = hardness?.episodes ?? 0
            return MapProfile.SkillPoint(skill: skill, hardness: hardness, episodes: resting, tooFew: resting < AnalysisFigures.minimumEpisodes)
        }
        let severity: [FindingSeverity: Int] = [.error: 0, .warning: 1, .info: 2]
        let top = findings.sorted { (severity[$0.severity] ?? 3) < (severity[$1.severity] ?? 3) }.prefix(5)
        return MapProfile(
            mapID: wad.id, wad: wad.name, map: map, runs: Set(played.map(\.runID)).count,
            note: played.isEmpty ? "No test run has played \(map) yet: every figure is empty until one does." : nil,
            overall: figures(played, skill: nil, hasExit: hasExit), groups: groups, skillCurve: curve, topFindings: Array(top))
    }

    static func figures(_ episodes: [PlayedEpisode], skill: Int?, hasExit: Bool) -> AnalysisFigures {
        AnalysisFigures(
            all: episodes.map(\.metrics), mortal: episodes.filter { !$0.godMode }.map(\.metrics), skill: skill, mapHasExit: hasExit)
    }

    // MARK: comparison

    /// 2–6 distinct items of one kind: map ids (`maps`, `versions`: the same WAD name), agent names or checkpoint
    /// references; `mapName` narrows every item to that map inside its WAD, `mapID` narrows agents and checkpoints to
    /// one WAD.
    public func compare(kind: Comparison.Kind, ids: [String], mapName: String?, mapID: String?) async throws -> Cached<Comparison> {
        guard (2...6).contains(ids.count) else { throw AnalysisError.invalid("compare 2 to 6 items; got \(ids.count)") }
        guard Set(ids).count == ids.count else { throw AnalysisError.invalid("each item may be compared once") }
        let key = "compare:\(kind.rawValue):\(mapName ?? ""):\(mapID ?? ""):\(ids.joined(separator: ","))"
        // Maps and versions read only those maps; agents and checkpoints their one map, or every map.
        let maps = kind == .maps || kind == .versions ? ids : mapID.map { [$0] }
        return try await cache.cached(key, maps: maps) { try await comparison(kind: kind, ids: ids, mapName: mapName, mapID: mapID) }
    }

    func comparison(kind: Comparison.Kind, ids: [String], mapName: String?, mapID: String?) async throws -> Comparison {
        var filters: [(id: String, label: String, filter: AnalysisFilter, hasExit: Bool, map: MapFacts?)] = []
        switch kind {
        case .maps, .versions:
            guard mapID == nil else { throw AnalysisError.invalid("map_id narrows agents and checkpoints; give maps as id") }
            var names = Set<String>()
            for id in ids {
                let wad = try await library.map(id: id)
                names.insert(wad.name)
                let summary = mapName.flatMap { name in wad.maps.first { $0.name.caseInsensitiveCompare(name) == .orderedSame } }
                if mapName != nil, summary == nil { throw AnalysisError.notFound("\(wad.name) has no map \(mapName ?? "")") }
                let label = kind == .versions ? "\(wad.name) (\(WebDate.minute(wad.uploadedAt)))" : wad.name
                let chosen = summary ?? wad.maps.first
                var facts: MapFacts?
                if let chosen {
                    facts = MapFacts(counts: chosen.counts, mapChecks: chosen.findings,
                                     playFindings: try await store.playFindings(mapID: wad.id, level: chosen.name), uploadedAt: wad.uploadedAt)
                }
                filters.append((wad.id, label, AnalysisFilter(mapIDs: [try Self.uuid(wad.id)], mapName: summary?.name),
                                chosen?.exits ?? 0 > 0, facts))
            }
            if kind == .versions, names.count > 1 {
                throw AnalysisError.invalid("versions are uploads with the same WAD name; these are \(names.sorted().joined(separator: ", "))")
            }
        case .agents, .checkpoints:
            var mapIDs: [UUID]?
            var hasExit = true
            if let mapID {
                let wad = try await library.map(id: mapID)
                mapIDs = [try Self.uuid(wad.id)]
                hasExit = ((mapName.flatMap { name in wad.maps.first { $0.name == name } } ?? wad.maps.first)?.exits ?? 0) > 0
            }
            for id in ids {
                if kind == .agents, !RunLauncher.agents.contains(id) {
                    throw AnalysisError.notFound("no agent \(id.debugDescription): the agents are \(RunLauncher.agents.joined(separator: ", "))")
                }
                if kind == .checkpoints, !(try await store.checkpointIsKnown(id)) {
                    throw AnalysisError.notFound("no checkpoint \(id.debugDescription): neither a stored checkpoint nor one any test run played")
                }
                let filter = kind == .agents
                    ? AnalysisFilter(mapIDs: mapIDs, mapName: mapName, agents: [id])
                    : AnalysisFilter(mapIDs: mapIDs, mapName: mapName, checkpoints: [id])
                filters.append((id, id, filter, hasExit, nil))
            }
        }
        var items: [ComparedItem] = []
        for entry in filters {
            let played = PlayedEpisode.all(try await store.episodes(entry.filter))
            items.append(ComparedItem(id: entry.id, label: entry.label, figures: Self.figures(played, skill: nil, hasExit: entry.hasExit),
                                      normalized: [:], map: entry.map))
        }
        Self.normalize(&items)
        return Comparison(kind: kind, map: mapName, items: items)
    }

    /// Each axis on 0…1: rates as they are, hardness over 100, kills over the most kills compared, speed as the fastest
    /// time to the exit over this one's.
    static func normalize(_ items: inout [ComparedItem]) {
        let mostKills = items.compactMap(\.figures.meanKills.value).max() ?? 0
        let fastest = items.compactMap(\.figures.timeToExitSeconds.value).filter { $0 > 0 }.min()
        for index in items.indices {
            let f = items[index].figures
            items[index].normalized = [
                "completion": f.completionRate.value,
                "survival": f.survivalRate.value,
                "speed": f.timeToExitSeconds.value.flatMap { time in fastest.map { time > 0 ? $0 / time : 1 } },
                "coverage": f.coverage.value,
                "kills": f.meanKills.value.map { mostKills > 0 ? $0 / mostKills : 0 },
                "hardness": f.hardness.map { $0.score / 100 },
            ]
        }
    }

    // MARK: statistics

    public func statistics(days: Int = 30) async throws -> Cached<PlatformStatistics> {
        try await cache.cached("statistics:\(days)", maps: nil) {
            let counts = try await store.counts(days: days)
            let calendar = Calendar(identifier: .gregorian)
            var utc = calendar
            utc.timeZone = TimeZone(identifier: "UTC") ?? .current
            let today = utc.startOfDay(for: Date())
            let series = (0..<days).reversed().compactMap { back -> PlatformStatistics.Day? in
                guard let date = utc.date(byAdding: .day, value: -back, to: today) else { return nil }
                let day = WebDate.day(date)
                let episodes = counts.episodesPerDay[day] ?? (0, 0)
                return PlatformStatistics.Day(
                    day: day, runs: counts.runsPerDay[day] ?? 0, episodes: episodes.episodes, exits: episodes.exits,
                    completionRate: Figure(episodes.episodes > 0 ? Double(episodes.exits) / Double(episodes.episodes) : nil, episodes: episodes.episodes))
            }
            return PlatformStatistics(
                maps: counts.maps, testRuns: counts.testRuns, trainingRuns: counts.trainingRuns, episodes: counts.episodes,
                agentHours: (counts.agentSeconds / 360).rounded() / 10,
                completionRate: Figure(counts.episodes > 0 ? Double(counts.exits) / Double(counts.episodes) : nil, episodes: counts.episodes),
                days: series, findingEvents: counts.findingEvents, mapFindings: counts.mapFindings,
                commonFindings: counts.findingKinds.map { .init(kind: $0.kind, findings: $0.findings) },
                busiestMaps: counts.busiestMaps.map { .init(id: $0.id.uuidString.lowercased(), name: $0.name, uploadedAt: $0.uploadedAt, runs: $0.runs) })
        }
    }

    // MARK: parts

    static func uuid(_ id: String) throws -> UUID {
        guard let uuid = UUID(uuidString: id) else { throw AnalysisError.notFound("no map with id \(id.debugDescription)") }
        return uuid
    }

    static func mapName(_ requested: String?, in wad: MapView) throws -> String {
        guard let requested else {
            guard let first = wad.maps.first?.name else { throw AnalysisError.notFound("\(wad.name) has no maps") }
            return first
        }
        guard let found = wad.maps.first(where: { $0.name.caseInsensitiveCompare(requested) == .orderedSame }) else {
            throw AnalysisError.notFound("\(requested.debugDescription) is not a map in \(wad.name); it has \(wad.maps.map(\.name).joined(separator: ", "))")
        }
        return found.name
    }
}

/// An episode with the run facts the groups are keyed by.
struct PlayedEpisode {
    var runID: String
    var agent: String
    var skill: Int
    var godMode: Bool
    var metrics: EpisodeMetrics

    /// Each distinct `params` text is decoded once: the busiest map's 13,475 episodes share a handful, and decoding
    /// every row's copy was 40 % of its profile's cold time (bench/results/analysis.md).
    static func all(_ episodes: [AnalysisEpisode]) -> [PlayedEpisode] {
        var settings: [String: (skill: Int, godMode: Bool)] = [:]
        return episodes.map { episode in
            let setting = settings[episode.params] ?? {
                let params = (try? PlaytestJSON.decode([String: JSONValue].self, from: episode.params)) ?? [:]
                let decoded = (skill: params["skill"]?.intValue ?? 3, godMode: params["god_mode"] == .bool(true))
                settings[episode.params] = decoded
                return decoded
            }()
            return PlayedEpisode(runID: episode.runID, agent: episode.agent, skill: setting.skill, godMode: setting.godMode,
                                 metrics: episode.metrics)
        }
    }
}

/// Dates in UTC as the pages show them.
public enum WebDate {
    /// `YYYY-MM-DD`.
    public static func day(_ date: Date?) -> String {
        guard let date else { return "undated" }
        return String(JSONTimestamp.format(date).prefix(10))
    }

    /// `YYYY-MM-DD HH:MM`: two uploads of one day stay apart.
    public static func minute(_ date: Date?) -> String {
        guard let date else { return "undated" }
        return String(JSONTimestamp.format(date).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
