import Logging
import NIOCore
import PostgresNIO

/// On PostgreSQL, turns `NOTIFY playtest_jobs` from any process into local `JobWakeups` signals.
/// Runs on its own connection and reconnects after failures; polling still covers any gap.
public struct JobListener: Sendable {
    public static let channel = "playtest_jobs"

    let configuration: PostgresConnection.Configuration
    let wakeups: JobWakeups
    let logger: Logger

    public init(configuration: PostgresConnection.Configuration, wakeups: JobWakeups, logger: Logger) {
        self.configuration = configuration
        self.wakeups = wakeups
        self.logger = logger
    }

    /// Listens until the task is cancelled.
    public func run() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                attempt = 0
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        wakeups.signal()  // anything enqueued while we were away
                        for try await _ in notifications { wakeups.signal() }
                    }
                } catch {
                    logger.debug("job listener stopped: \(DatabaseError.describe(error))")
                }
                try? await connection.close()
            } catch {
                logger.debug("job listener cannot connect: \(DatabaseError.describe(error))")
            }
            attempt += 1
            try? await Task.sleep(for: .milliseconds(min(5000, 200 * attempt)))
        }
    }
}
