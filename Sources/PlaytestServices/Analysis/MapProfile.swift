import Foundation
import PlaytestCore

/// A map's profile across all its test runs: overall, per skill, agent and god mode, the hardness at each skill, and
/// the map checks' top findings.
public struct MapProfile: Codable, Sendable {
    public struct Group: Codable, Sendable {
        public var skill: Int
        public var agent: String
        public var godMode: Bool
        public var runs: Int
        public var figures: AnalysisFigures

        enum CodingKeys: String, CodingKey {
            case skill, agent, runs, figures
            case godMode = "god_mode"
        }
    }

    /// The hardness at one skill (1–5), over every agent's non-god-mode episodes.
    public struct SkillPoint: Codable, Sendable {
        public var skill: Int
        public var hardness: HardnessScore?
        public var episodes: Int
        public var tooFew: Bool

        enum CodingKeys: String, CodingKey {
            case skill, hardness, episodes
            case tooFew = "too_few"
        }
    }

    public var mapID: String
    public var wad: String
    public var map: String
    public var runs: Int
    /// Says so when no test run has played the map yet: every figure is then null with 0 episodes.
    public var note: String?
    public var overall: AnalysisFigures
    public var groups: [Group]
    public var skillCurve: [SkillPoint]
    public var topFindings: [Finding]
    public var minimumEpisodes = AnalysisFigures.minimumEpisodes

    enum CodingKeys: String, CodingKey {
        case wad, map, runs, note, overall, groups
        case mapID = "map_id"
        case skillCurve = "skill_curve"
        case topFindings = "top_findings"
        case minimumEpisodes = "minimum_episodes"
    }
}

/// Figures of one compared item, and the same figures scaled to 0…1 for a radar chart (1 is best on every axis but
/// hardness, where 1 is hardest).
public struct ComparedItem: Codable, Sendable {
    public var id: String
    public var label: String
    public var figures: AnalysisFigures
    /// Axis → 0…1, or null without data.
    public var normalized: [String: Double?]
    /// What the map itself is, for maps and versions (nil for agents and checkpoints): what changed between versions.
    public var map: MapFacts?
}

/// One upload's map as it is: its geometry, what its checks find, and what play found in its runs.
public struct MapFacts: Codable, Sendable {
    public var counts: MapCounts
    /// The map checks' findings by severity.
    public var mapChecks: FindingCounts
    /// Findings (stuck spots, softlocks, missed secrets, visual defects, …) sighted in the test runs of this upload.
    public var playFindings: Int
    public var uploadedAt: Date?

    enum CodingKeys: String, CodingKey {
        case counts
        case mapChecks = "map_checks"
        case playFindings = "play_findings"
        case uploadedAt = "uploaded_at"
    }
}

/// 2–6 maps, agents, checkpoints or versions of a map on the same axes.
public struct Comparison: Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case maps, agents, checkpoints, versions
    }

    /// The radar's axes, in drawing order.
    public static let axes = ["completion", "survival", "speed", "coverage", "kills", "hardness"]

    public var kind: Kind
    /// The map inside the WADs, when one was named.
    public var map: String?
    public var axes = Comparison.axes
    public var items: [ComparedItem]
    public var minimumEpisodes = AnalysisFigures.minimumEpisodes

    enum CodingKeys: String, CodingKey {
        case kind, map, axes, items
        case minimumEpisodes = "minimum_episodes"
    }
}

/// The whole platform's activity.
public struct PlatformStatistics: Codable, Sendable {
    public struct Day: Codable, Sendable {
        public var day: String
        public var runs: Int
        public var episodes: Int
        public var exits: Int
        public var completionRate: Figure

        enum CodingKeys: String, CodingKey {
            case day, runs, episodes, exits
            case completionRate = "completion_rate"
        }
    }

    public struct BusyMap: Codable, Sendable {
        public var id: String
        public var name: String
        /// Tells versions (uploads with the same WAD name) apart.
        public var uploadedAt: Date?
        public var runs: Int

        enum CodingKeys: String, CodingKey {
            case id, name, runs
            case uploadedAt = "uploaded_at"
        }
    }

    public var maps: Int
    public var testRuns: Int
    public var trainingRuns: Int
    public var episodes: Int
    /// Hours of game time played in test episodes.
    public var agentHours: Double
    public var completionRate: Figure
    /// The last 30 days, oldest first, every day present.
    public var days: [Day]
    /// Dynamic findings by kind (stuck spots, out of bounds) and static map-check findings by severity.
    public var findingEvents: [String: Int]
    public var mapFindings: [String: Int]
    /// The most common kinds in the findings store (static and play, every map), the most findings first.
    public var commonFindings: [KindCount]
    public var busiestMaps: [BusyMap]

    public struct KindCount: Codable, Sendable {
        public var kind: String
        public var findings: Int
    }

    enum CodingKeys: String, CodingKey {
        case maps, episodes, days
        case testRuns = "test_runs"
        case trainingRuns = "training_runs"
        case agentHours = "agent_hours"
        case completionRate = "completion_rate"
        case findingEvents = "finding_events"
        case mapFindings = "map_findings"
        case commonFindings = "common_findings"
        case busiestMaps = "busiest_maps"
    }
}
