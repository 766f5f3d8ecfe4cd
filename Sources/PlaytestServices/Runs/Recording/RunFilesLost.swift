import PlaytestStorage

/// A run's files could not be stored, even after retrying through an outage. Whether another attempt can make them
/// again decides how the run ends: a training run resumes from its last stored checkpoint and writes the lost one
/// again, but a test run's screenshots and demos are gone with the attempt's workspace, and a rescue would only
/// complete the run without them — so it fails and says what it lost.
public struct RunFilesLost: Error, CustomStringConvertible {
    public var files: [String]
    public var retried: Duration
    public var cause: any Error
    public var replayable: Bool

    public init(files: [String], retried: Duration, cause: any Error, replayable: Bool) {
        self.files = files
        self.retried = retried
        self.cause = cause
        self.replayable = replayable
    }

    public var description: String {
        let names = files.prefix(3).joined(separator: ", ") + (files.count > 3 ? " and \(files.count - 3) more" : "")
        let outage = EngineOutage.matches(cause) ? " (retried for \(retried))" : ""
        return "\(files.count) file(s) of the run could not be stored\(outage): \(names): \(DatabaseError.describe(cause))"
    }
}
