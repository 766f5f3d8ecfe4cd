import ArgumentParser
import PlaytestServices
import PlaytestWorker

/// The job kinds this build of `playtest` can run: test runs, training runs, test runs' evidence and the periodic
/// retention.
enum JobHandlers {
    /// Throws when the agent runtime (the Python interpreter or the `playtest_agent` package) is missing.
    static func all(services: Services, timeLimits: RunTimeLimits) throws -> [any JobHandler] {
        try runs(services: services, timeLimits: timeLimits)
            + [try EvidenceJobHandler(services: services), RetentionJobHandler(retention: services.retention)]
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
