import PlaytestServices
import PlaytestWorker

/// The job kinds this build of `playtest` can run: test runs and training runs.
enum JobHandlers {
    /// Throws when the agent runtime (the Python interpreter or the `playtest_agent` package) is missing.
    static func all(services: Services) throws -> [any JobHandler] {
        do {
            return try RunJobHandler.all(services: services)
        } catch {
            throw StartupError(message: "cannot run agents: \(error) (run `make venv`, or set PLAYTEST_PYTHON and PLAYTEST_AGENT_DIR)")
        }
    }
}
