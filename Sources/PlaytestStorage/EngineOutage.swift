import PostgresNIO

/// Whether an error means an engine is out for now (the database or the blob store does not answer, or says it
/// cannot), as opposed to a fault in the request or the code: the API answers 503 with `Retry-After` for these.
public enum EngineOutage {
    public static func matches(_ error: any Error) -> Bool {
        switch error {
        case BlobError.unavailable, StorageError.unreachable:
            return true
        case let psql as PSQLError:
            // No server answer at all (refused, closed, timed out), or SQLSTATE class 08 (connection exception) and
            // 57P01-57P03 (the server shutting down, restarting, not accepting connections yet).
            guard let state = psql.serverInfo?[.sqlState] else { return true }
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        default:
            return false
        }
    }
}
