import ArgumentParser
import Logging
import PlaytestServices
import PlaytestWorker

/// The job kinds this build of `playtest` can run: test runs, training runs and the periodic retention on the default
/// queue; test runs' evidence on a queue of its own.
enum JobHandlers {
    /// Throws when the agent runtime (the Python interpreter or the `playtest_agent` package) is missing.
    static func all(services: Services, timeLimits: RunTimeLimits) throws -> [any JobHandler] {
        try runs(services: services, timeLimits: timeLimits) + [RetentionJobHandler(retention: services.retention)]
    }

    /// The pool that makes runs' evidence (``RunEvidence/queue``), one replay at a time beside the process's runs; nil
    /// without an agent runtime.
    static func evidencePool(services: Services, logger: Logger) -> WorkerPool? {
        guard let handler = try? EvidenceJobHandler(services: services) else { return nil }
        return WorkerPool(queue: services.engines.queue, registry: services.engines.workers, handlers: [handler],
                          options: .init(concurrency: 1, queue: RunEvidence.queue, lease: .seconds(60)), logger: logger)
    }

    /// The run handlers only (`playtest test` and `train` play their own run, nothing else).
    static func runs(services: Services, timeLimits: RunTimeLimits) throws -> [any JobHandler] {
        do {
            return try RunJobHandler.all(services: services, options: .init(timeLimits: timeLimits))
        } catch {
            throw StartupError(message: "cannot run agents: \(error) (run `make venv`, or set PLAYTEST_PYTHON and PLAYTEST_AGENT_DIR)")
        }
    }

    /// The standard limits, changed by `PLAYTEST_TIME_LIMITS` and then by the `--time-limit` options, in that order.
    static func timeLimits(env: [String: String], options: [String]) throws -> RunTimeLimits {
        var limits = RunTimeLimits.standard
        do {
            if let spec = env["PLAYTEST_TIME_LIMITS"] { limits = try limits.overridden(by: spec) }
        } catch {
            throw ValidationError("configuration: PLAYTEST_TIME_LIMITS \(error)")
        }
        do {
            for spec in options { limits = try limits.overridden(by: spec) }
        } catch {
            throw ValidationError("--time-limit \(error)")
        }
        return limits
    }
}
