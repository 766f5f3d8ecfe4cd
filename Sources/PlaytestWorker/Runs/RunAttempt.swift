import Foundation
import Logging
import PlaytestCore
import PlaytestStorage

/// One attempt at a run, shared by the test and training handlers: it loads the run, marks it
/// running, prepares the workspace, plays the agent while a recorder stores its output, and ends the
/// run as completed, failed or stopped — or leaves it to the queue when the attempt was interrupted
/// by a shutdown or a lost lease, or failed in a way the next attempt may not.
struct RunAttempt: Sendable {
    let services: RunServices
    let job: Job
    let run: RunRecord
    let runID: String
    let plan: RunPlan
    let map: MapRecord
    let latch: StopLatch
    let logger: Logger

    /// What the handler decided to play, with its recorder.
    struct Launch<Recorder: RunRecorder>: Sendable {
        var command: AgentCommand
        var recorder: Recorder
    }

    enum Outcome: Sendable {
        case completed(DoneMessage)
        /// The job was cancelled and this was the user's stop: the run is stopped.
        case stopped
    }

    /// Loads the run behind a job. Returns nil when there is nothing to do (it already finished, or it
    /// was stopped before it started — then it is marked stopped here).
    static func begin(job: Job, services: RunServices, latch: StopLatch, logger: Logger) async throws -> RunAttempt? {
        let payload: RunJob.Payload
        do {
            payload = try job.decodePayload(RunJob.Payload.self)
        } catch {
            throw PermanentJobError("job \(job.id) has no readable run_id payload: \(error)")
        }
        guard let run = try await services.runs.run(id: payload.runID) else {
            throw PermanentJobError("run \(payload.runID) does not exist (deleted with its map?)")
        }
        if run.status.isFinal { return nil }
        let plan: RunPlan
        do {
            plan = try run.decodedPlan()
        } catch {
            try await services.runs.finish(id: payload.runID, status: .failed, error: "the run's plan is unreadable: \(error)", stderrTail: nil, at: Date())
            throw PermanentJobError("run \(payload.runID): unreadable plan: \(error)")
        }
        guard let map = try await services.library.record(id: run.$map.id) else {
            try await services.runs.finish(id: payload.runID, status: .failed, error: "the run's map is no longer in the library", stderrTail: nil, at: Date())
            throw PermanentJobError("run \(payload.runID): its map \(run.$map.id) is gone")
        }
        var logger = logger
        logger[metadataKey: "run"] = "\(payload.runID)"
        let attempt = RunAttempt(services: services, job: job, run: run, runID: payload.runID, plan: plan, map: map, latch: latch, logger: logger)
        guard try await services.runs.markRunning(id: payload.runID, at: Date()) else {
            // A stop request raced the claim (stopping), or the run finished meanwhile.
            if try await services.runs.run(id: payload.runID)?.status == .stopping { try await attempt.endStopped() }
            return nil
        }
        await attempt.publish(.runStatus(runID: payload.runID, kind: run.kind.rawValue, status: RunRecord.Status.running.rawValue, timestamp: Date()))
        return attempt
    }

    var isRescue: Bool { job.attempt > 1 }

    /// Plays the agent in `workspace` with the recorder and ends the run accordingly.
    func play<Recorder: RunRecorder>(_ launch: Launch<Recorder>, workspace: RunWorkspace) async throws -> (Outcome, Recorder) {
        var recorder = launch.recorder
        if latch.isFired { return (try await interrupted(stderrTail: nil), recorder) }
        let agent: AgentProcess
        do {
            agent = try AgentProcess.start(runtime: services.runtime, command: launch.command, configPath: workspace.configPath)
        } catch {
            throw try await fail(RunFailure(message: error.description, permanent: false), stderrTail: nil)
        }
        latch.attach(agent)
        logger.info("agent started", metadata: ["pid": "\(agent.pid)", "command": "\(launch.command.rawValue)", "attempt": "\(job.attempt)"])
        var result = AgentRunResult(exit: .exited(0), stderrTail: "")
        do {
            for try await message in agent.messages {
                switch message {
                case .done(let done): result.done = done
                case .error(let error) where error.fatal: result.agentError = error
                default: break
                }
                if result.storageError != nil { continue }
                do {
                    try await recorder.record(message)
                } catch {
                    result.storageError = String(describing: error)
                    logger.error("storing the run's output failed; stopping the agent", metadata: ["error": "\(error)"])
                    await agent.stop(grace: services.options.stopGrace)
                }
            }
        } catch let error as AgentProcessError {
            result.protocolError = error
            logger.error("agent protocol error; stopping the agent", metadata: ["error": "\(error)"])
            await agent.stop(grace: services.options.stopGrace)
        } catch {
            result.storageError = String(describing: error)
            await agent.stop(grace: services.options.stopGrace)
        }
        result.exit = await agent.waitForExit()
        await agent.waitForOutput()
        result.stderrTail = agent.stderrTail
        do {
            try await recorder.flush()
        } catch {
            if result.storageError == nil { result.storageError = String(describing: error) }
        }
        logger.info("agent ended", metadata: ["exit": "\(result.exit)", "done": "\(result.done?.reason.rawValue ?? "none")"])
        if latch.isFired { return (try await interrupted(stderrTail: result.stderrTail), recorder) }
        if let failure = result.failure() {
            throw try await fail(failure, stderrTail: result.stderrTail)
        }
        guard let done = result.done else { throw RunFailure(message: "unreachable: completed without done", permanent: false) }
        return (.completed(done), recorder)
    }

    /// The job was cancelled: a stop request ends the run as stopped; a shutdown or a lost lease
    /// leaves it running for the next attempt (the queue releases or rescues the job).
    func interrupted(stderrTail: String?) async throws -> Outcome {
        let job = try await services.queue.job(id: self.job.id)
        let run = try await services.runs.run(id: runID)
        if job?.cancelRequested == true || run?.status == .stopping {
            try await endStopped(stderrTail: stderrTail)
            return .stopped
        }
        logger.info("attempt interrupted (shutdown or lost lease); the queue hands the run on")
        throw CancellationError()
    }

    func endStopped(stderrTail: String? = nil) async throws {
        try await services.runs.finish(id: runID, status: .stopped, error: nil, stderrTail: stderrTail, at: Date())
        try? await services.live.clear(runID: runID)
        await publish(.runStopped(runID: runID, timestamp: Date()))
        await publish(.runStatus(runID: runID, kind: run.kind.rawValue, status: RunRecord.Status.stopped.rawValue, timestamp: Date()))
        logger.info("run stopped")
    }

    /// Records a failure: on the last attempt (or a permanent failure) the run is failed; otherwise
    /// the queue retries it. Returns the error for the worker pool.
    func fail(_ failure: RunFailure, stderrTail: String?) async throws -> any Error {
        let last = failure.permanent || job.attempt >= job.maxAttempts
        logger.error("run attempt failed", metadata: ["error": "\(failure.message)", "final": "\(last)"])
        guard last else { return failure }
        try await services.runs.finish(id: runID, status: .failed, error: failure.message, stderrTail: stderrTail, at: Date())
        try? await services.live.clear(runID: runID)
        await publish(.runFailed(runID: runID, error: failure.message, timestamp: Date()))
        await publish(.runStatus(runID: runID, kind: run.kind.rawValue, status: RunRecord.Status.failed.rawValue, timestamp: Date()))
        return failure.permanent ? PermanentJobError(failure.message) : failure
    }

    /// Marks the run completed, then publishes `announcement` (testing/training_completed) and `run_status`.
    func complete(summary: String?, progress: Int, announcement: RunLiveMessage) async throws {
        try await services.runs.setProgress(id: runID, progress: progress, summary: summary)
        try await services.runs.finish(id: runID, status: .completed, error: nil, stderrTail: nil, at: Date())
        try? await services.live.clear(runID: runID)
        await publish(announcement)
        await publish(.runStatus(runID: runID, kind: run.kind.rawValue, status: RunRecord.Status.completed.rawValue, timestamp: Date()))
    }

    /// Live messages may be lost (docs/runs.md); a failure to publish is only logged.
    func publish(_ message: RunLiveMessage) async {
        do {
            try await services.live.publish(runID: runID, message)
        } catch {
            logger.warning("publishing a live message failed", metadata: ["type": "\(message.type)", "error": "\(error)"])
        }
    }

    func updateLive(_ snapshot: LiveRunSnapshot) async {
        do {
            try await services.live.update(runID: runID, snapshot)
        } catch {
            logger.warning("updating the live state failed", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `body` in a task the worker pool's cancellation does not reach, so the wind-down (SIGTERM,
    /// the final checkpoint's upload, marking the run stopped) completes; cancellation fires the latch.
    static func shielded<T: Sendable>(grace: Duration, _ body: @escaping @Sendable (StopLatch) async throws -> T) async throws -> T {
        let latch = StopLatch(grace: grace)
        let task = Task { try await body(latch) }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            latch.fire()
        }
    }
}
