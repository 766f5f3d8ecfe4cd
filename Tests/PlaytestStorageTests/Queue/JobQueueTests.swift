import Foundation
@testable import PlaytestStorage
import PlaytestTestSupport
import Testing

@Suite("JobQueue")
struct JobQueueTests {
    static let lease = Duration.seconds(30)

    func queue(_ db: TestDatabase, clock: ManualClock, retry: RetryPolicy = RetryPolicy(base: .seconds(10), maximum: .seconds(100), jitter: 0)) -> JobQueue {
        JobQueue(sql: db.engine, clock: clock, retry: retry, random: { 0.5 })
    }

    @Test("claims in priority then schedule order, and each job once", arguments: TestDatabase.available)
    func claimOrder(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock()
            let queue = queue(db, clock: clock)
            try await queue.enqueue(NewJob(kind: "probe", priority: 3, id: "low"))
            clock.advance(milliseconds: 1)
            try await queue.enqueue(NewJob(kind: "probe", priority: 1, id: "urgent"))
            clock.advance(milliseconds: 1)
            try await queue.enqueue(NewJob(kind: "probe", priority: 3, id: "low-later"))
            try await queue.enqueue(NewJob(kind: "other", priority: 0, id: "not-mine"))

            let first = try await queue.claim(workerID: "w1", kinds: ["probe"], limit: 2, lease: Self.lease)
            #expect(first.map(\.id) == ["urgent", "low"])
            #expect(first.allSatisfy { $0.state == .running && $0.attempt == 1 && $0.lockedBy == "w1" })
            let second = try await queue.claim(workerID: "w2", kinds: ["probe"], limit: 5, lease: Self.lease)
            #expect(second.map(\.id) == ["low-later"])
            #expect(try await queue.claim(workerID: "w3", kinds: ["probe"], lease: Self.lease).isEmpty)
        }
    }

    @Test("a delayed job waits for its time", arguments: TestDatabase.available)
    func delayed(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock()
            let queue = queue(db, clock: clock)
            try await queue.enqueue(NewJob(kind: "probe", scheduledAt: clock.nowMilliseconds() + 60_000, id: "later"))
            #expect(try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease).isEmpty)
            clock.advance(milliseconds: 60_000)
            #expect(try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease).map(\.id) == ["later"])
        }
    }

    @Test("a failure is retried after exponential backoff, then discarded", arguments: TestDatabase.available)
    func retryAndBackoff(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock()
            let queue = queue(db, clock: clock)
            try await queue.enqueue(NewJob(kind: "probe", maxAttempts: 3, id: "flaky"))
            var delays: [Int64] = []
            for attempt in 1...3 {
                let claimed = try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease)
                try #require(claimed.map(\.id) == ["flaky"], "attempt \(attempt) should claim the job")
                let failedAt = clock.nowMilliseconds()
                let state = try await queue.fail(id: "flaky", workerID: "w", message: "boom \(attempt)")
                let job = try #require(try await queue.job(id: "flaky"))
                if attempt < 3 {
                    #expect(state == .retryable)
                    delays.append(job.scheduledAt - failedAt)
                    // Not claimable a moment before the backoff ends.
                    clock.advance(milliseconds: job.scheduledAt - failedAt - 1)
                    #expect(try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease).isEmpty)
                    clock.advance(milliseconds: 1)
                } else {
                    #expect(state == .discarded)
                    #expect(job.finalizedAt != nil)
                    #expect(job.attemptErrors.map(\.message) == ["boom 1", "boom 2", "boom 3"])
                }
            }
            // base 10 s doubling (jitter 0): 10 s after attempt 1, 20 s after attempt 2.
            #expect(delays == [10_000, 20_000])
        }
    }

    @Test("jitter spreads the backoff within the configured fraction")
    func jitterBounds() {
        let policy = RetryPolicy(base: .seconds(1), maximum: .seconds(30), jitter: 0.2)
        #expect(policy.delayMilliseconds(afterAttempt: 1, random: 0) == 800)
        #expect(policy.delayMilliseconds(afterAttempt: 1, random: 0.5) == 1000)
        #expect(policy.delayMilliseconds(afterAttempt: 3, random: 0.5) == 4000)
        #expect(policy.delayMilliseconds(afterAttempt: 10, random: 0.5) == 30_000)
        #expect(policy.delayMilliseconds(afterAttempt: 10, random: 0.999) <= 36_000)
    }

    @Test("a permanent failure is discarded at once", arguments: TestDatabase.available)
    func permanentFailure(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let queue = queue(db, clock: ManualClock())
            try await queue.enqueue(NewJob(kind: "probe", maxAttempts: 5, id: "bad"))
            _ = try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease)
            #expect(try await queue.fail(id: "bad", workerID: "w", message: "map missing", permanent: true) == .discarded)
        }
    }

    @Test("cancel stops queued jobs at once and flags running ones", arguments: TestDatabase.available)
    func cancel(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let queue = queue(db, clock: ManualClock())
            try await queue.enqueue(NewJob(kind: "probe", id: "queued"))
            #expect(try await queue.cancel(id: "queued") == .cancelled)
            #expect(try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease).isEmpty)

            try await queue.enqueue(NewJob(kind: "probe", id: "running"))
            _ = try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease)
            #expect(try await queue.heartbeat(id: "running", workerID: "w", lease: Self.lease) == .held)
            #expect(try await queue.cancel(id: "running") == .stopRequested)
            #expect(try await queue.heartbeat(id: "running", workerID: "w", lease: Self.lease) == .stopRequested)
            #expect(try await queue.markCancelled(id: "running", workerID: "w"))
            #expect(try await queue.job(id: "running")?.state == .cancelled)
            #expect(try await queue.cancel(id: "running") == .alreadyFinal(.cancelled))
            #expect(try await queue.cancel(id: "nope") == .notFound)

            #expect(try await queue.retry(id: "running"))
            #expect(try await queue.job(id: "running")?.state == .available)
        }
    }

    @Test("an expired lease is rescued and the old worker can no longer write", arguments: TestDatabase.available)
    func rescue(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let clock = ManualClock()
            let queue = queue(db, clock: clock)
            try await queue.enqueue(NewJob(kind: "probe", maxAttempts: 2, id: "orphan"))
            _ = try await queue.claim(workerID: "dead", kinds: ["probe"], lease: .seconds(5))
            #expect(try await queue.rescueExpired().isEmpty)
            clock.advance(milliseconds: 5_001)
            let rescued = try await queue.rescueExpired()
            #expect(rescued.map(\.id) == ["orphan"])
            #expect(rescued.first?.state == .retryable)
            #expect(try await queue.heartbeat(id: "orphan", workerID: "dead", lease: .seconds(5)) == .lost)
            #expect(try await queue.complete(id: "orphan", workerID: "dead") == false)

            let again = try await queue.claim(workerID: "alive", kinds: ["probe"], lease: .seconds(5))
            #expect(again.first?.attempt == 2)
            clock.advance(milliseconds: 5_001)
            // Out of attempts: the second expiry discards it.
            #expect(try await queue.rescueExpired().first?.state == .discarded)
        }
    }

    @Test("release at shutdown gives the job back without spending an attempt", arguments: TestDatabase.available)
    func release(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let queue = queue(db, clock: ManualClock())
            try await queue.enqueue(NewJob(kind: "probe", id: "long"))
            _ = try await queue.claim(workerID: "w", kinds: ["probe"], lease: Self.lease)
            #expect(try await queue.release(id: "long", workerID: "w"))
            let job = try #require(try await queue.job(id: "long"))
            #expect(job.state == .available && job.attempt == 0 && job.lockedBy == nil)
        }
    }

    @Test("8 concurrent workers never claim a job twice", arguments: TestDatabase.available)
    func concurrentClaims(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { db in
            let queue = JobQueue(sql: db.engine)
            for index in 0..<200 { try await queue.enqueue(NewJob(kind: "probe", id: String(format: "job-%03d", index))) }
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await queue.claim(workerID: "w\(worker)", kinds: ["probe"], lease: Self.lease).first {
                            mine.append(job.id)
                            try await queue.complete(id: job.id, workerID: "w\(worker)")
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.count == 200)
            #expect(Set(claims).count == 200)
            #expect(try await queue.counts()[.completed] == 200)
        }
    }

    @Test("bad jobs are refused")
    func invalidJobs() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let queue = JobQueue(sql: db.engine)
            await #expect(throws: JobQueueError.self) { try await queue.enqueue(NewJob(kind: "probe", maxAttempts: 0)) }
            await #expect(throws: JobQueueError.self) { try await queue.enqueue(NewJob(kind: "")) }
            let stored = try await queue.counts().values.reduce(0, +)
            #expect(stored == 0)
        }
    }
}
