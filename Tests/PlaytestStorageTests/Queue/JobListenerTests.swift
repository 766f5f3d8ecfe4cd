import Foundation
import Logging
@testable import PlaytestStorage
import PlaytestTestSupport
import Testing

@Suite("JobListener")
struct JobListenerTests {
    @Test(
        "an enqueue in another process's connection wakes an idle worker through LISTEN/NOTIFY",
        .enabled(if: TestDatabase.postgresURL != nil, "PLAYTEST_TEST_DATABASE_URL is not set: LISTEN/NOTIFY needs PostgreSQL"))
    func notifyWakesWorkers() async throws {
        try await TestDatabase.with(.postgres) { db in
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            let configuration = try #require(db.engine.postgresConfiguration)
            // The worker side: its own wake-ups, fed only by the listener.
            let workerWakeups = JobWakeups()
            let listener = Task { await JobListener(configuration: configuration, wakeups: workerWakeups, logger: logger).run() }
            defer { listener.cancel() }
            // The producer side: a separate engine and queue, as in another process.
            let producerEngine = try await SQLEngine.open(.postgres(url: db.target), postgresSchema: db.schema, logger: logger)
            let producer = JobQueue(sql: producerEngine)
            // Let the listener connect and LISTEN (it signals once when it starts listening).
            await workerWakeups.wait(timeout: .seconds(10), after: 0)

            let before = workerWakeups.generation
            try await producer.enqueue(NewJob(kind: "probe"))
            await workerWakeups.wait(timeout: .seconds(30), after: before)
            await producerEngine.shutdown()
            // Only the listener signals these wake-ups: a new generation means NOTIFY arrived, not the timeout.
            #expect(workerWakeups.generation > before, "woken by NOTIFY")
        }
    }
}
