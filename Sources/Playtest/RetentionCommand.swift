import ArgumentParser
import Foundation
import PlaytestServices
import PlaytestStorage

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Delete what is past its age now, and say what was freed.",
        discussion: "Workers do this once per PLAYTEST_RETENTION_PERIOD_HOURS (default 24) as the job maintenance.retention. What goes: step telemetry of runs ended over PLAYTEST_RETENTION_STEPS_DAYS ago (30), screenshots of runs ended over PLAYTEST_RETENTION_SCREENSHOTS_DAYS ago (90) unless a finding was seen in the run, blobs no row names (after PLAYTEST_RETENTION_ORPHAN_GRACE_HOURS, 6), expired sign-ins."
    )

    @Flag(name: .long, help: "List the latest reports instead of running.")
    var reports = false

    func run() async throws {
        try await Bootstrap.withServices(failure: "retention failed: ") { services, logger in
            let shown = reports ? try await services.retention.reports() : [try await services.retention.run(logger: logger)]
            for report in shown { print(Self.describe(report)) }
            if shown.isEmpty { print("No retention has run yet.") }
        }
    }

    static func describe(_ report: RetentionReport) -> String {
        let megabytes = String(format: "%.1f", Double(report.bytesFreed) / 1_048_576)
        return "\(report.ranAt): deleted \(report.stepRows) step rows of \(report.stepRuns) runs, \(report.artifacts) screenshots and "
            + "\(report.orphansDeleted) orphaned blobs (\(megabytes) MB of blobs; \(report.orphansSeen) orphans newly seen), "
            + "\(report.sessions) expired sessions and \(report.refreshTokens) refresh tokens, in \(String(format: "%.2f", report.seconds)) s"
    }
}
