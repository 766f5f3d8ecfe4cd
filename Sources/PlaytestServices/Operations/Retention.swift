import Foundation
import Logging
import PlaytestStorage

/// Deletes what is past its age (``RetentionSettings``): step telemetry and screenshots of runs that ended long ago,
/// blobs no row names (after a grace period), expired sign-ins. Rows go first, then the blobs they named, so a crash in
/// between leaves orphans, which a later run collects. Each run's ``RetentionReport`` is kept. Runs as the periodic
/// `maintenance.retention` job, once per period across all workers, or by hand with `playtest retention`.
public struct Retention: Sendable {
    public static let jobKind = "maintenance.retention"

    let store: RetentionStore
    let blobs: any BlobStore
    let settings: RetentionSettings

    public init(engines: PlaytestEngines) {
        self.store = RetentionStore(sql: engines.sql)
        self.blobs = engines.blobs
        self.settings = engines.configuration.retention
    }

    /// How often the job runs; nil when retention is off.
    public var period: Duration? { settings.periodHours > 0 ? .seconds(settings.periodHours * 3600) : nil }

    @discardableResult
    public func run(now: Date = Date(), logger: Logger) async throws -> RetentionReport {
        let started = ContinuousClock.now
        var report = RetentionReport(ranAt: now)
        let day: TimeInterval = 86_400
        while true {  // in batches, so no statement holds the tables for long
            let batch = try await store.deleteSteps(endedBefore: now.addingTimeInterval(-Double(settings.stepsDays) * day))
            report.stepRuns += batch.runs
            report.stepRows += batch.rows
            if batch.runs == 0 { break }
        }
        while true {
            let screenshots = try await store.deleteScreenshots(endedBefore: now.addingTimeInterval(-Double(settings.screenshotsDays) * day))
            if screenshots.isEmpty { break }
            for shot in screenshots {
                try await deleteBlob(shot.key)
                report.artifacts += 1
                report.artifactBytes += shot.bytes
            }
        }
        try await sweepOrphans(now: now, into: &report)
        (report.sessions, report.refreshTokens) = try await store.deleteExpiredSessions(now: now)
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try await store.save(report)
        logger.info("retention freed space", metadata: [
            "step_rows": "\(report.stepRows)", "step_runs": "\(report.stepRuns)", "screenshots": "\(report.artifacts)",
            "orphans_deleted": "\(report.orphansDeleted)", "bytes_freed": "\(report.bytesFreed)", "sessions": "\(report.sessions)",
        ])
        return report
    }

    /// The newest reports first.
    public func reports(limit: Int = 20) async throws -> [RetentionReport] {
        try await store.reports(limit: limit)
    }

    private func sweepOrphans(now: Date, into report: inout RetentionReport) async throws {
        // Listed before the rows are read: a blob stored in between is named by the time the rows are read.
        let stored = Dictionary(try await blobs.list(prefix: "").map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
        let unnamed = Set(stored.keys).subtracting(try await store.namedBlobs())
        let sweep = try await store.sweepOrphans(unnamed, now: now, graceCutoff: now.addingTimeInterval(-Double(settings.orphanGraceHours) * 3600))
        report.orphansSeen = sweep.new
        for key in sweep.due {
            try await deleteBlob(key)
            try await store.forgetOrphan(key)
            report.orphansDeleted += 1
            report.orphanBytes += stored[key] ?? 0
        }
    }

    private func deleteBlob(_ key: String) async throws {
        do {
            try await blobs.delete(key)
        } catch BlobError.notFound {
            // already gone
        }
    }
}
