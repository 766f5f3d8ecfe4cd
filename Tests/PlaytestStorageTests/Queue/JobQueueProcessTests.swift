import Foundation
@testable import PlaytestStorage
import PlaytestTestSupport
import Testing

/// The queue across real processes: claims that race from two processes, and a worker killed
/// with SIGKILL whose job is rescued and run again.
@Suite("JobQueue across processes", .serialized)
struct JobQueueProcessTests {
    @Test(
        "2 processes × 4 workers never claim a job twice",
        .enabled(if: TestDatabase.postgresURL != nil, "PLAYTEST_TEST_DATABASE_URL is not set: the cross-process race needs PostgreSQL"))
    func twoProcessRace() async throws {
        try await TestDatabase.with(.postgres) { db in
            let queue = JobQueue(sql: db.engine)
            let total = 400
            for index in 0..<total { try await queue.enqueue(NewJob(kind: "probe", id: String(format: "race-%04d", index))) }
            let probe = try ChildProcess.productPath("QueueProbe")
            let children = try (0..<2).map { _ in try ChildProcess(probe, ["race", db.target, db.schema, "4"]) }
            for child in children { #expect(try await child.waitForExit() == 0) }
            let claimed = children.flatMap { $0.linesSoFar }.filter { $0.hasPrefix("claimed ") }.map { String($0.dropFirst(8)) }
            #expect(claimed.count == total, "every job claimed exactly once in total")
            #expect(Set(claimed).count == total, "no job claimed twice")
            #expect(children.allSatisfy { !$0.linesSoFar.isEmpty }, "both processes took part")
            #expect(try await queue.counts()[.completed] == total)
        }
    }

    @Test("a worker killed with SIGKILL has its job rescued and run again", arguments: TestDatabase.available)
    func sigkillRescue(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let queue = JobQueue(sql: db.engine)
            try await queue.enqueue(NewJob(kind: "probe", maxAttempts: 3, id: "victim"))
            let child = try ChildProcess(try ChildProcess.productPath("QueueProbe"), ["hold", db.target, db.schema, "800"])
            _ = try await child.waitForLine { $0 == "claimed victim" }
            child.kill(signal: SIGKILL)

            // The lease (0.8 s) runs out with nobody renewing it; the rescuer puts the job back.
            let rescued = try await Deadline.value("the rescuer to put the job back", every: .milliseconds(100)) {
                let rescued = try await queue.rescueExpired()
                return rescued.isEmpty ? nil : rescued
            }
            #expect(rescued.map(\.id) == ["victim"])
            #expect(rescued.first?.attemptErrors.last?.message.contains("lease expired") == true)

            let rerun = try await queue.claim(workerID: "survivor", kinds: ["probe"], lease: .seconds(30))
            #expect(rerun.first?.id == "victim")
            #expect(rerun.first?.attempt == 2)
            #expect(try await queue.complete(id: "victim", workerID: "survivor"))
        }
    }
}
