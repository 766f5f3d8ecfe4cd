import Foundation

/// The line `python -m playtest_agent evidence` prints for one episode (docs/evidence.md): where its video and
/// screenshots are, or why there are none, and how far the replay agreed with the telemetry.
public struct EvidenceSummary: Codable, Sendable, Hashable {
    public struct Video: Codable, Sendable, Hashable {
        public var missing: Bool?
        public var reason: String?
        public var path: String?
        public var bytes: Int64?
        public var durationS: Double?
        public var endsAtTic: Int?

        enum CodingKeys: String, CodingKey {
            case missing, reason, path, bytes
            case durationS = "duration_s"
            case endsAtTic = "ends_at_tic"
        }
    }

    public struct Screenshot: Codable, Sendable, Hashable {
        public var tic: Int
        public var path: String
    }

    public struct Drift: Codable, Sendable, Hashable {
        public var tic: Int
        public var distance: Double?
        public var reason: String?
    }

    /// The scan for visual defects before the replay (`--scan`, docs/visual-defects.md).
    public struct Visual: Codable, Sendable, Hashable {
        public struct Found: Codable, Sendable, Hashable {
            public var kind: String
            public var severity: String
            public var tic: Int
            /// x, y, angle.
            public var player: [Double]
            public var bearing: Double
            public var at: [Double]?
        }

        /// A monster that never moved and was never on screen (`agent/playtest_agent/monster_watch.py`).
        public struct StillMonster: Codable, Sendable, Hashable {
            public var name: String
            public var x: Double
            public var y: Double
        }

        public var findings: [Found]?
        public var frames: Int?
        public var error: String?
        /// How many monsters the scan saw, and those that never stirred.
        public var monsters: Int?
        public var idleMonsters: [StillMonster]?

        enum CodingKeys: String, CodingKey {
            case findings, frames, error, monsters
            case idleMonsters = "idle_monsters"
        }
    }

    public var missing: Bool
    public var reason: String?
    public var visual: Visual?
    public var video: Video?
    public var screenshots: [Screenshot]?
    public var drift: Drift?
    public var checkedTics: Int?
    public var verifiedToTic: Int?
    public var wallS: Double?

    public init(missing: Bool, reason: String?) {
        self.missing = missing
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case missing, reason, video, screenshots, drift, visual
        case checkedTics = "checked_tics"
        case verifiedToTic = "verified_to_tic"
        case wallS = "wall_s"
    }

    /// Evidence that could not be made at all, for a reason the worker knows (no demo, a time-out, a crash).
    public static func missing(_ reason: String) -> EvidenceSummary {
        EvidenceSummary(missing: true, reason: reason)
    }

    /// The reason a person reads when a part is missing: the whole evidence's, else the video's.
    public var missingReason: String? {
        if missing { return reason ?? "the evidence could not be made" }
        if video?.missing == true { return "no video: " + (video?.reason ?? "unknown reason") }
        return nil
    }
}
