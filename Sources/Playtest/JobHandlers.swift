import PlaytestStorage
import PlaytestWorker

/// The job kinds this build of `playtest` can run. Test and training runs register here.
enum JobHandlers {
    static func all(engines: PlaytestEngines) -> [any JobHandler] {
        []
    }
}
