import Foundation
import PlaytestCore

/// A run's live progress as the `run:<id>:live` hash holds it (docs/runs.md): enough for the status endpoints to
/// answer without SQL while a worker plays. `latestEpisode` is the JSON of `TestStatus.LatestEpisode`,
/// `latestMetrics` the JSON of `TrainingStatus.LatestMetrics`.
public struct LiveRunSnapshot: Sendable, Hashable {
    public var status: RunStatus
    public var mapID: String?
    /// The library entry's name.
    public var mapName: String?
    /// The map inside the WAD (`MAP01`).
    public var map: String?
    public var checkpoint: String?
    public var currentEpisode: Int?
    public var totalEpisodes: Int?
    public var steps: Int?
    public var currentIteration: Int?
    public var maxIterations: Int?
    public var latestEpisode: String?
    public var latestMetrics: String?
    public var startedAt: Date?
    public var updatedAt: Date

    public init(status: RunStatus, mapID: String? = nil, mapName: String? = nil, map: String? = nil, checkpoint: String? = nil,
                currentEpisode: Int? = nil, totalEpisodes: Int? = nil, steps: Int? = nil, currentIteration: Int? = nil,
                maxIterations: Int? = nil, latestEpisode: String? = nil, latestMetrics: String? = nil, startedAt: Date? = nil,
                updatedAt: Date) {
        self.status = status
        self.mapID = mapID
        self.mapName = mapName
        self.map = map
        self.checkpoint = checkpoint
        self.currentEpisode = currentEpisode
        self.totalEpisodes = totalEpisodes
        self.steps = steps
        self.currentIteration = currentIteration
        self.maxIterations = maxIterations
        self.latestEpisode = latestEpisode
        self.latestMetrics = latestMetrics
        self.startedAt = startedAt
        self.updatedAt = updatedAt
    }

    /// The hash's fields. Every field is written on every update (an absent value as ""), so a
    /// value that went away does not linger from an earlier update.
    var hashFields: [String: String] {
        [
            "status": status.rawValue,
            "map_id": mapID ?? "",
            "map_name": mapName ?? "",
            "map": map ?? "",
            "checkpoint": checkpoint ?? "",
            "current_episode": currentEpisode.map(String.init) ?? "",
            "total_episodes": totalEpisodes.map(String.init) ?? "",
            "steps": steps.map(String.init) ?? "",
            "current_iteration": currentIteration.map(String.init) ?? "",
            "max_iterations": maxIterations.map(String.init) ?? "",
            "latest_episode": latestEpisode ?? "",
            "latest_metrics": latestMetrics ?? "",
            "started_at": startedAt.map(JSONTimestamp.format) ?? "",
            "updated_at": JSONTimestamp.format(updatedAt),
        ]
    }

    /// Reads the hash back; nil when it is absent or has no readable status.
    init?(hashFields fields: [String: String]) {
        guard let status = fields["status"].flatMap(RunStatus.init(rawValue:)) else { return nil }
        func value(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        self.init(
            status: status, mapID: value("map_id"), mapName: value("map_name"), map: value("map"), checkpoint: value("checkpoint"),
            currentEpisode: value("current_episode").flatMap { Int($0) }, totalEpisodes: value("total_episodes").flatMap { Int($0) },
            steps: value("steps").flatMap { Int($0) }, currentIteration: value("current_iteration").flatMap { Int($0) },
            maxIterations: value("max_iterations").flatMap { Int($0) }, latestEpisode: value("latest_episode"),
            latestMetrics: value("latest_metrics"), startedAt: value("started_at").flatMap(JSONTimestamp.parse),
            updatedAt: value("updated_at").flatMap(JSONTimestamp.parse) ?? Date(timeIntervalSince1970: 0))
    }
}
