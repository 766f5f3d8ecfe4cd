import Foundation
import Logging
import Metrics
import PlaytestCore
import PlaytestServices
import PlaytestStorage

/// One attempt at a run, whatever its kind: the run begun through the services (it is `running` now), the agent
/// played while a recorder stores its output, and the run ended through the lifecycle as completed, failed or stopped,
/// or left to the queue when the attempt was interrupted by a shutdown or a lost lease, or failed in a way the next
/// attempt may not.
struct RunAttempt: Sendable {
    let context: RunHandlerContext
    let job: Job
    let run: PlayingRun
    let latch: StopLatch
    /// When the attempt began: its time limits count from here.
    let startedAt = ContinuousClock.now

    var logger: Logger { run.logger }
    var playback: RunPlayback { context.services.playback }
    var lifecycle: RunLifecycle { playback.lifecycle }

    /// What the attempt ended with.
    enum Outcome: Sendable {
        case completed(DoneMessage)
        /// The job was cancelled and this was the user's stop: the run is stopped.
        case stopped
    }

    /// Begins the run behind a job; nil when there is nothing to play.
    static func begin(job: Job, context: RunHandlerContext, latch: StopLatch, logger: Logger) async throws -> RunAttempt? {
        let payload: RunJob.Payload
        do {
            payload = try job.decodePayload(RunJob.Payload.self)
        } catch {
            throw PermanentJobError("job \(job.id) has no readable run_id payload: \(error)")
        }
        do {
            guard let run = try await context.services.playback.begin(runID: payload.runID, logger: logger) else { return nil }
            return RunAttempt(context: context, job: job, run: run, latch: latch)
        } catch let error as RunUnplayable {
            throw PermanentJobError(error.message)
        }
    }

    var isRescue: Bool { job.attempt > 1 }

    /// The attempt's folder with the map's WAD, fetched through a short blob store outage.
    func prepareWorkspace() async throws -> RunWorkspace {
        try await RunWorkspace.prepare(plan: run.plan, map: run.map, blobs: context.blobs, parent: context.options.workspaceParent,
                                       retry: playback.options.outageRetry, logger: logger)
    }

    /// Plays the agent in `workspace` with the recorder and ends the run accordingly.
    func play<Recorder: RunRecorder>(_ command: AgentCommand, recorder: Recorder, workspace: RunWorkspace) async throws -> (Outcome, Recorder) {
        var recorder = recorder
        if latch.isFired { return (try await interrupted(stderrTail: nil), recorder) }
        let agent: AgentProcess
        do {
            agent = try AgentProcess.start(runtime: context.runtime, command: command, configPath: workspace.configPath)
        } catch {
            throw try await fail(RunFailure(message: error.description, permanent: false), stderrTail: nil)
        }
        latch.attach(agent)
        let watch = TimeLimitWatch.start(context.options.timeLimits[run.kind], since: startedAt, agent: agent, logger: logger)
        let grace = context.options.stopGrace
        logger.info("agent started", metadata: ["pid": "\(agent.pid)", "command": "\(command.rawValue)", "attempt": "\(job.attempt)"])
        var result = AgentRunResult(exit: .exited(0), stderrTail: "")
        let steps = Counter(label: "playtest_agent_steps_total", dimensions: [("kind", run.kind.rawValue)])
        do {
            for try await message in agent.messages {
                switch message {
                case .step: steps.increment()
                case .done(let done): result.done = done
                case .error(let error) where error.fatal: result.agentError = error
                default: break
                }
                if result.storageError != nil { continue }
                do {
                    try await recorder.record(message)
                } catch {
                    result.storageError = error
                    logger.error("storing the run's output failed; stopping the agent", metadata: ["error": "\(DatabaseError.describe(error))"])
                    await agent.stop(grace: grace)
                }
            }
        } catch let error as AgentProcessError {
            result.protocolError = error
            logger.error("agent protocol error; stopping the agent", metadata: ["error": "\(error)"])
            await agent.stop(grace: grace)
        } catch {
            result.storageError = error
            await agent.stop(grace: grace)
        }
        result.exit = await agent.waitForExit()
        watch.end()
        await agent.waitForOutput()
        result.stderrTail = agent.stderrTail
        do {
            try await recorder.flush()
        } catch {
            if result.storageError == nil { result.storageError = error }
        }
        logger.info("agent ended", metadata: ["exit": "\(result.exit)", "done": "\(result.done?.reason.rawValue ?? "none")"])
        if latch.isFired { return (try await interrupted(stderrTail: result.stderrTail), recorder) }
        if let reached = watch.reached, let outcome = try await timeLimited(reached, result: result) { return (outcome, recorder) }
        if let failure = result.failure() {
            throw try await fail(failure, stderrTail: result.stderrTail)
        }
        guard let done = result.done else { throw RunFailure(message: "unreachable: completed without done", permanent: false) }
        return (.completed(done), recorder)
    }

    /// The agent ran into a time limit: past the hard one the run fails (permanently: another attempt would too); at the
    /// soft one it stopped as asked, and the run ends stopped with what it played and the limit as its reason. nil when
    /// the agent completed anyway, or when something else went wrong (that failure is the one to report).
    func timeLimited(_ reached: TimeLimitWatch.Reached, result: AgentRunResult) async throws -> Outcome? {
        switch reached {
        case .hard(let limit):
            throw try await fail(RunFailure(
                message: "the attempt passed its hard time limit of \(RunTimeLimits.describe(limit)) and the agent was killed (the worker's --time-limit or PLAYTEST_TIME_LIMITS sets it)",
                permanent: true), stderrTail: result.stderrTail)
        case .soft(let limit):
            guard result.done?.reason == .stopped, result.storageError == nil, result.protocolError == nil else { return nil }
            let reason = "the attempt reached its soft time limit of \(RunTimeLimits.describe(limit)): the agent was asked to stop, and the run keeps what it played"
            try await lifecycle.stop(run.id, kind: run.kind, stderrTail: result.stderrTail, reason: reason)
            logger.info("run stopped at its soft time limit")
            return .stopped
        }
    }

    /// The job was cancelled: a stop request ends the run as stopped; a shutdown or a lost lease leaves it running
    /// for the next attempt (the queue releases or rescues the job).
    func interrupted(stderrTail: String?) async throws -> Outcome {
        let cancelRequested = try await context.queue.job(id: job.id)?.cancelRequested == true
        let stopping = try await playback.status(run) == .stopping
        if cancelRequested || stopping {
            try await lifecycle.stop(run.id, kind: run.kind, stderrTail: stderrTail)
            logger.info("run stopped")
            return .stopped
        }
        logger.info("attempt interrupted (shutdown or lost lease); the queue hands the run on")
        throw CancellationError()
    }

    /// Records a failure: on the last attempt (or a permanent failure) the run is failed; otherwise the queue retries
    /// it. Returns the error for the worker pool.
    func fail(_ failure: RunFailure, stderrTail: String?) async throws -> any Error {
        let last = failure.permanent || job.attempt >= job.maxAttempts
        logger.error("run attempt failed", metadata: ["error": "\(failure.message)", "final": "\(last)"])
        guard last else { return failure }
        try await lifecycle.fail(run.id, kind: run.kind, error: failure.message, stderrTail: stderrTail)
        return failure.permanent ? PermanentJobError(failure.message) : failure
    }

    /// Fails the run with `error` unless it has ended already (the play recorded its own ending, or a stop): for an
    /// error on the last attempt that did not go through ``fail(_:stderrTail:)``.
    func failUnlessEnded(_ error: any Error) async {
        do {
            guard let status = try await playback.status(run), !status.isFinal else { return }
            try await lifecycle.fail(run.id, kind: run.kind, error: DatabaseError.describe(error), stderrTail: nil)
            logger.error("run failed on its last attempt", metadata: ["error": "\(DatabaseError.describe(error))"])
        } catch {
            logger.error("failing the run after its last attempt failed", metadata: ["error": "\(DatabaseError.describe(error))"])
        }
    }

    /// Runs `body` in a task the worker pool's cancellation does not reach, so the wind-down (SIGTERM, the final
    /// checkpoint's upload, marking the run stopped) completes; cancellation fires the latch.
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
