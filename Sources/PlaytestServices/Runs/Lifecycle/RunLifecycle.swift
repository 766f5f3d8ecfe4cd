import Foundation
import Logging
import Metrics
import PlaytestCore
import PlaytestStorage

/// The one place that changes a run's status. Each move is checked against `RunStatus`'s table (a completed run never
/// runs again: that is a ``RunTransitionError``), made with one conditional SQL update, and followed by its side
/// effects: the live state (cleared when the run ends, marked while it stops) and the `run_status` notice plus, when
/// the run ends, its announcement (`testing_completed`, `training_completed`, `run_failed`, `run_stopped`).
///
/// Live messages may be lost (docs/runs.md): a failed publish is logged, never thrown.
public struct RunLifecycle: Sendable {
    let runs: RunStore
    let live: RunLiveState
    let queue: JobQueue
    let generation: AnalysisGeneration
    let agentSessionTTL: Duration
    let logger: Logger

    public init(engines: PlaytestEngines, logger: Logger) {
        self.runs = RunStore(sql: engines.sql)
        self.live = RunLiveState(live: engines.live)
        self.queue = engines.queue
        self.generation = AnalysisGeneration(live: engines.live)
        self.agentSessionTTL = engines.configuration.agentSessionTTL
        self.logger = logger
    }

    /// Stores a new, pending run and enqueues its job; a run whose job cannot be queued is deleted again.
    func create(_ run: RunRecord, job: NewJob) async throws {
        try await runs.insert(run)
        do {
            try await queue.enqueue(job)
        } catch {
            try? await runs.delete(id: run.id ?? "")
            throw error
        }
        if let id = run.id { await publish(id, .runStatus(runID: id, kind: run.kind, status: .pending, timestamp: Date())) }
    }

    /// What ``start(_:kind:)`` found.
    public enum Start: Sendable, Equatable {
        /// The run is running now (again, for a rescued attempt).
        case started
        /// A stop was asked for before the worker got to it: end it with ``stop(_:kind:stderrTail:)``.
        case stopping
    }

    /// pending | running → running, when a worker begins an attempt.
    public func start(_ runID: String, kind: RunKind) async throws -> Start {
        if try await runs.markRunning(id: runID, from: RunStatus.sources(of: .running), at: Date()) {
            await publish(runID, .runStatus(runID: runID, kind: kind, status: .running, timestamp: Date()))
            return .started
        }
        let current = try await currentStatus(runID)
        if current == .stopping { return .stopping }
        throw RunTransitionError(runID: runID, from: current, to: .running)
    }

    /// → completed, with how far it got and its summary; then `announcement` and `run_status`.
    public func complete(_ runID: String, kind: RunKind, progress: Int, summary: RunSummary, announcement: RunLiveMessage) async throws {
        try await finish(runID, kind: kind, as: .completed, progress: progress, summary: try summary.json(), announcement: announcement)
    }

    /// → failed with the reason and the agent's last stderr lines.
    public func fail(_ runID: String, kind: RunKind, error: String, stderrTail: String?) async throws {
        try await finish(runID, kind: kind, as: .failed, error: error, stderrTail: stderrTail,
                         announcement: .runFailed(runID: runID, error: error, timestamp: Date()))
    }

    /// → stopped (a stop request was carried out, or a time limit reached: `reason` says which limit).
    public func stop(_ runID: String, kind: RunKind, stderrTail: String? = nil, reason: String? = nil) async throws {
        try await finish(runID, kind: kind, as: .stopped, error: reason, stderrTail: stderrTail,
                         announcement: .runStopped(runID: runID, timestamp: Date()))
    }

    /// failed | stopped → pending, when its job is queued again (what it stored so far stays).
    public func reopen(_ runID: String, kind: RunKind) async throws {
        guard try await runs.reopen(id: runID, from: RunStatus.sources(of: .pending)) else {
            throw RunTransitionError(runID: runID, from: try await currentStatus(runID), to: .pending)
        }
        await publish(runID, .runStatus(runID: runID, kind: kind, status: .pending, timestamp: Date()))
    }

    /// Asks the active runs of `kind` among `ids` (every active one when nil) to stop, and returns their ids. A queued
    /// run stops at once; a running one becomes `stopping` until its worker has wound the agent down.
    public func requestStop(kind: RunKind, ids: [String]?) async throws -> [String] {
        let stopping = try await runs.markStopping(ids: ids, kind: kind, from: RunStatus.sources(of: .stopping))
        for id in stopping {
            await publish(id, .runStatus(runID: id, kind: kind, status: .stopping, timestamp: Date()))
            var outcome = CancelOutcome.notFound
            if let jobID = try await runs.run(id: id)?.jobID { outcome = try await queue.cancel(id: jobID) }
            if case .stopRequested = outcome {
                do {
                    try await live.markStopping(runID: id)
                } catch {
                    logger.warning("marking a run as stopping in the live state failed", metadata: ["run": "\(id)", "error": "\(error)"])
                }
                continue
            }
            // Nobody is playing it (still queued, or its job is gone): it is stopped now.
            try await stop(id, kind: kind)
        }
        return stopping
    }

    private func finish(
        _ runID: String, kind: RunKind, as status: RunStatus, error: String? = nil, stderrTail: String? = nil,
        progress: Int? = nil, summary: String? = nil, announcement: RunLiveMessage
    ) async throws {
        let moved = try await runs.finish(
            id: runID, status: status, from: RunStatus.sources(of: status), error: error, stderrTail: stderrTail,
            progress: progress, summary: summary, at: Date())
        guard moved else {
            let current = try await currentStatus(runID)
            // Two parties ending the run the same way (a stop request and the worker carrying it out) is no conflict.
            if current == status { return }
            throw RunTransitionError(runID: runID, from: current, to: status)
        }
        let finished = try? await runs.run(id: runID)
        count(kind: kind, finishedAs: status, startedAt: finished?.startedAt)
        // What the analyses of its map read has changed.
        if let mapID = finished?.$map.id { await generation.advance(map: mapID.uuidString) }
        do {
            try await live.clear(runID: runID)
            // The agent's session keys stay until they expire; their state says how the run ended.
            let state = AgentLiveKeys(agentID: runID).state
            try await live.live.write([.hashSet(state, ["status": status.rawValue, "updated_at": JSONTimestamp.format(Date())]),
                                       .expire(state, ttl: agentSessionTTL)])
        } catch {
            logger.warning("clearing a finished run's live state failed", metadata: ["run": "\(runID)", "error": "\(error)"])
        }
        await publish(runID, announcement)
        await publish(runID, .runStatus(runID: runID, kind: kind, status: status, timestamp: Date()))
    }

    /// `playtest_runs_finished_total` and, for a run that played, `playtest_run_duration_seconds` (start to end).
    private func count(kind: RunKind, finishedAs status: RunStatus, startedAt: Date?) {
        let dimensions = [("kind", kind.rawValue), ("status", status.rawValue)]
        Counter(label: "playtest_runs_finished_total", dimensions: dimensions).increment()
        if let started = startedAt {
            Timer(label: "playtest_run_duration_seconds", dimensions: dimensions).recordSeconds(max(0, Date().timeIntervalSince(started)))
        }
    }

    private func currentStatus(_ runID: String) async throws -> RunStatus {
        guard let status = try await runs.status(id: runID) else { throw RunLifecycleError.noSuchRun(runID) }
        return status
    }

    /// Publishes on the run's channel; a failure is only logged.
    func publish(_ runID: String, _ message: RunLiveMessage) async {
        do {
            try await live.publish(runID: runID, message)
        } catch {
            logger.warning("publishing a live message failed", metadata: ["run": "\(runID)", "type": "\(message.type)", "error": "\(error)"])
        }
    }
}

public enum RunLifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchRun(String)

    public var description: String {
        switch self {
        case .noSuchRun(let id): "there is no run \(id.debugDescription) (deleted with its map?)"
        }
    }
}
