import Synchronization
import Testing
@testable import PlaytestServices

/// Concurrent requests share computations, and none is answered by one that started before it arrived.
@Suite("Fresh coalescer")
struct FreshCoalescerTests {
    /// How many computations ran, and the generation each saw: a counter bumped after every request arrives.
    final class Probe: Sendable {
        let computations = Mutex(0)
        let generation = Mutex(0)
    }

    @Test func concurrentRequestsShareAtMostTwoComputations() async throws {
        let coalescer = FreshCoalescer<Int>()
        let probe = Probe()
        let answers = try await withThrowingTaskGroup(of: (arrived: Int, answer: Int).self) { group in
            for _ in 0..<32 {
                let arrived = probe.generation.withLock { value in
                    value += 1
                    return value
                }
                group.addTask {
                    let answer = try await coalescer.value("k") {
                        probe.computations.withLock { $0 += 1 }
                        let seen = probe.generation.withLock { $0 }
                        try await Task.sleep(for: .milliseconds(50))
                        return seen
                    }
                    return (arrived, answer)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 32)
        #expect(answers.allSatisfy { $0.answer >= $0.arrived }, "no answer predates its request")
        #expect(probe.computations.withLock { $0 } <= 3, "32 requests, a handful of computations")
    }

    @Test func laterRequestsComputeAgainAndErrorsReachEveryWaiter() async throws {
        let coalescer = FreshCoalescer<Int>()
        let probe = Probe()
        for round in 1...3 {
            let value = try await coalescer.value("k") { probe.computations.withLock { $0 += 1; return $0 } }
            #expect(value == round, "a request after the last answer gets a new computation")
        }
        struct Failure: Error {}
        await #expect(throws: Failure.self) { try await coalescer.value("k") { throw Failure() } }
        #expect(try await coalescer.value("k") { 7 } == 7, "a failure leaves nothing behind")
    }
}
