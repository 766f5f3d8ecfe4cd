import Foundation

/// What one retention run freed (`retention_reports.report`, the worker's log and `playtest retention`).
public struct RetentionReport: Codable, Sendable, Equatable {
    public var ranAt: Date
    public var seconds: Double = 0
    /// Runs whose step telemetry went, and how many step rows.
    public var stepRuns = 0
    public var stepRows = 0
    public var artifacts = 0
    public var artifactBytes: Int64 = 0
    /// Blobs no row names: newly seen so, and deleted after their grace period.
    public var orphansSeen = 0
    public var orphansDeleted = 0
    public var orphanBytes: Int64 = 0
    public var sessions = 0
    public var refreshTokens = 0

    public init(ranAt: Date) {
        self.ranAt = ranAt
    }

    enum CodingKeys: String, CodingKey {
        case seconds, artifacts, sessions
        case ranAt = "ran_at"
        case stepRuns = "step_runs"
        case stepRows = "step_rows"
        case artifactBytes = "artifact_bytes"
        case orphansSeen = "orphans_seen"
        case orphansDeleted = "orphans_deleted"
        case orphanBytes = "orphan_bytes"
        case refreshTokens = "refresh_tokens"
    }

    public var bytesFreed: Int64 { artifactBytes + orphanBytes }
}
