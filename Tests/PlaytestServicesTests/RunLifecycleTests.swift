import Foundation
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import PlaytestTestSupport
import Testing

/// The one owner of a run's status: every move RunStatus allows, with its side effects (SQL, live state, the
/// published messages), and every move it does not allow refused.
@Suite("Run lifecycle")
struct RunLifecycleTests {
    @Test("the transition table: a completed run never changes, a failed or stopped one only goes back to pending")
    func table() {
        #expect(RunStatus.completed.successors.isEmpty)
        #expect(!RunStatus.completed.canMove(to: .running))
        #expect(RunStatus.failed.successors == [.pending] && RunStatus.stopped.successors == [.pending])
        #expect(RunStatus.pending.canMove(to: .running) && RunStatus.running.canMove(to: .running))
        #expect(RunStatus.sources(of: .running) == [.pending, .running])
        #expect(Set(RunStatus.sources(of: .stopped)) == [.pending, .running, .stopping])
    }

    @Test("a completed run cannot run again: completed → running is a RunTransitionError and changes nothing")
    func completedNeverRunsAgain() async throws {
        try await ServicesHarness.with { harness in
            let lifecycle = harness.services.lifecycle
            let id = try await harness.addRun(.testing, on: try await harness.addMap())
            #expect(try await lifecycle.start(id, kind: .testing) == .started)
            try await lifecycle.complete(
                id, kind: .testing, progress: 3, summary: .testing(AggregateMetrics(episodes: [])),
                announcement: .testingCompleted(TestingCompleted(testID: id, episodesCompleted: 3, totalKills: 0, meanKills: 0, timestamp: Date())))
            #expect(try await harness.status(id) == .completed)
            let error = await #expect(throws: RunTransitionError.self) { _ = try await lifecycle.start(id, kind: .testing) }
            #expect(error?.from == .completed && error?.to == .running)
            await #expect(throws: RunTransitionError.self) { try await lifecycle.fail(id, kind: .testing, error: "late", stderrTail: nil) }
            await #expect(throws: RunTransitionError.self) { try await lifecycle.reopen(id, kind: .testing) }
            #expect(try await harness.status(id) == .completed)
        }
    }

    @Test("every move publishes run_status on the run's channel and on `runs`; the end clears the live state")
    func sideEffects() async throws {
        try await ServicesHarness.with { harness in
            let lifecycle = harness.services.lifecycle
            let live = harness.services.live
            let id = try await harness.addRun(.training, on: try await harness.addMap())
            let feed = try await live.subscribe(runIDs: [id])
            let everyRun = try await live.subscribeToStatus()
            #expect(try await lifecycle.start(id, kind: .training) == .started)
            try await live.update(runID: id, LiveRunSnapshot(status: .running, currentIteration: 10, maxIterations: 100, updatedAt: Date()))
            try await lifecycle.fail(id, kind: .training, error: "the agent crashed", stderrTail: "Traceback")
            var received: [RunLiveMessage] = []
            for await text in feed.messages {
                received.append(try RunLiveMessage(json: text))
                if received.count == 3 { break }
            }
            #expect(received == [
                received[0].withTimestamp(of: .runStatus(runID: id, kind: .training, status: .running, timestamp: Date())),
                received[1].withTimestamp(of: .runFailed(runID: id, error: "the agent crashed", timestamp: Date())),
                received[2].withTimestamp(of: .runStatus(runID: id, kind: .training, status: .failed, timestamp: Date())),
            ])
            var statuses: [RunStatus] = []
            for await text in everyRun.messages {
                if case .runStatus(_, _, let status, _) = try RunLiveMessage(json: text) { statuses.append(status) }
                if statuses.count == 2 { break }
            }
            #expect(statuses == [.running, .failed])
            #expect(try await live.read(runID: id) == nil, "a finished run has no live hash")
            let run = try #require(try await RunStore(sql: harness.engines.sql).run(id: id))
            #expect(run.error == "the agent crashed" && run.stderrTail == "Traceback" && run.completedAt != nil)
            await feed.cancel()
            await everyRun.cancel()
        }
    }

    @Test("stopping: a queued run is stopped at once and its job cancelled; stopping twice is no conflict")
    func stopQueued() async throws {
        try await ServicesHarness.with { harness in
            let lifecycle = harness.services.lifecycle
            let map = try await harness.addMap()
            let queued = try await harness.addRun(.testing, on: map)
            let other = try await harness.addRun(.training, on: map)
            #expect(try await lifecycle.requestStop(kind: .testing, ids: nil) == [queued])
            #expect(try await harness.status(queued) == .stopped)
            #expect(try await harness.status(other) == .pending, "a stop of test runs leaves training runs alone")
            let jobID = try #require(try await RunStore(sql: harness.engines.sql).run(id: queued)?.jobID)
            #expect(try await harness.engines.queue.job(id: jobID)?.state == .cancelled)
            try await lifecycle.stop(queued, kind: .testing)
            #expect(try await lifecycle.requestStop(kind: .testing, ids: [queued]) == [], "a stopped run is not active")
        }
    }

    @Test("a running run asked to stop is `stopping` until its worker ends it; start then says so")
    func stopRunning() async throws {
        try await ServicesHarness.with { harness in
            let lifecycle = harness.services.lifecycle
            let id = try await harness.addRun(.testing, on: try await harness.addMap())
            _ = try await harness.engines.queue.claim(workerID: "test", kinds: [RunJob.testKind], lease: .seconds(60))
            #expect(try await lifecycle.start(id, kind: .testing) == .started)
            #expect(try await lifecycle.requestStop(kind: .testing, ids: [id]) == [id])
            #expect(try await harness.status(id) == .stopping)
            #expect(try await lifecycle.start(id, kind: .testing) == .stopping)
            try await lifecycle.stop(id, kind: .testing, stderrTail: "bye")
            #expect(try await harness.status(id) == .stopped)
            try await lifecycle.reopen(id, kind: .testing)
            #expect(try await harness.status(id) == .pending, "a stopped run goes back to the queue when its job is retried")
        }
    }
}

extension RunLiveMessage {
    /// `expected` with this message's timestamp, so two messages compare on everything but when they were sent.
    func withTimestamp(of expected: RunLiveMessage) -> RunLiveMessage {
        let time: Date? = switch self {
        case .runFailed(_, _, let t), .runStopped(_, let t), .runStatus(_, _, _, let t): t
        default: nil
        }
        guard let time else { return expected }
        return switch expected {
        case .runFailed(let id, let error, _): .runFailed(runID: id, error: error, timestamp: time)
        case .runStopped(let id, _): .runStopped(runID: id, timestamp: time)
        case .runStatus(let id, let kind, let status, _): .runStatus(runID: id, kind: kind, status: status, timestamp: time)
        default: expected
        }
    }
}
