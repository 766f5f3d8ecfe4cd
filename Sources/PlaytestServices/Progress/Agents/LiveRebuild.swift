import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// Puts back what the live store lost (docs/live-state.md): every leaderboard's sorted set and the session keys of
/// the agents playing now, from SQL. `playtest live rebuild` runs it; every `serve` also watches a marker key and
/// runs it when the marker is gone (Redis came back empty). Rebuilding writes the truth again, so two servers doing
/// it at once agree.
public struct LiveRebuild: Sendable {
    /// Set after each rebuild; its absence means the live store lost its keys.
    static let marker = "live:rebuilt_at"

    let progress: AgentProgress
    let runs: RunStore
    let live: any LiveStore
    let logger: Logger

    public init(engines: PlaytestEngines, progress: AgentProgress, logger: Logger) {
        self.progress = progress
        self.runs = RunStore(sql: engines.sql)
        self.live = engines.live
        self.logger = logger
    }

    public struct Report: Sendable, Hashable {
        public var boards: Int
        public var sessions: Int
    }

    /// Rebuilds the boards and the running agents' sessions, then sets the marker.
    @discardableResult
    public func rebuild() async throws -> Report {
        let boards = try await progress.leaderboards.rebuildAll()
        var sessions = 0
        var offset = 0
        while true {
            let page = try await runs.list(kind: .testing, status: .running, mapID: nil, offset: offset, limit: 200).runs
            for run in page {
                try await progress.restore(run: run)
                sessions += 1
            }
            guard page.count == 200 else { break }
            offset += page.count
        }
        try await live.set(Self.marker, JSONTimestamp.format(Date()), ttl: nil)
        return Report(boards: boards, sessions: sessions)
    }

    /// Rebuilds when the marker is missing; nil when nothing needed doing.
    public func rebuildIfLost() async throws -> Report? {
        guard try await live.get(Self.marker) == nil else { return nil }
        return try await rebuild()
    }

    /// Checks every `interval` until cancelled; an unreachable live store is tried again next time.
    public func watch(every interval: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            do {
                if let report = try await rebuildIfLost() {
                    logger.notice("rebuilt the live state from SQL", metadata: ["boards": "\(report.boards)", "sessions": "\(report.sessions)"])
                }
            } catch {
                logger.debug("live state check failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
