/// What can go wrong reading or writing runs, with a message an operator can act on.
public enum RunStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `runs.plan` is not a readable `RunPlan`.
    case invalidPlan(String)
    /// A status that cannot be used where it was given (e.g. `finish` with `running`).
    case invalidStatus(String)
    /// A stored JSON column could not be read back.
    case corruptRow(table: String, detail: String)
    /// A value could not be written (e.g. JSON encoding failed).
    case unencodable(String)
    /// The database handed over is not an SQL database.
    case unsupportedDatabase(String)

    public var description: String {
        switch self {
        case .invalidPlan(let detail): "the run's plan is not valid RunPlan JSON: \(detail)"
        case .invalidStatus(let detail): detail
        case .corruptRow(let table, let detail): "a row of \(table) could not be read: \(detail); the row was written by an incompatible version"
        case .unencodable(let detail): "could not encode a value for storage: \(detail)"
        case .unsupportedDatabase(let name): "the run tables need an SQL database (SQLite or PostgreSQL), not \(name)"
        }
    }
}
