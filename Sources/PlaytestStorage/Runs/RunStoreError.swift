/// What can go wrong reading or writing runs, with a message an operator can act on.
public enum RunStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A code path that is not built yet.
    case notImplemented(String)
    /// `runs.plan` is not a readable `RunPlan`.
    case invalidPlan(String)
    /// A status that cannot be used where it was given (e.g. `finish` with `running`).
    case invalidStatus(String)
    /// A stored JSON column could not be read back.
    case corruptRow(table: String, detail: String)
    /// A value could not be written (e.g. JSON encoding failed).
    case unencodable(String)

    public var description: String {
        switch self {
        case .notImplemented(let what): "\(what) is not implemented yet"
        case .invalidPlan(let detail): "the run's plan is not valid RunPlan JSON: \(detail)"
        case .invalidStatus(let detail): detail
        case .corruptRow(let table, let detail): "a row of \(table) could not be read: \(detail); the row was written by an incompatible version"
        case .unencodable(let detail): "could not encode a value for storage: \(detail)"
        }
    }
}
