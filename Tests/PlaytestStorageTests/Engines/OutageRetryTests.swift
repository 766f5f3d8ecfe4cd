import Logging
import NIOConcurrencyHelpers
import PlaytestStorage
import Testing

@Suite("Retrying through an engine outage")
struct OutageRetryTests {
    let logger = Logger(label: "test.outage-retry")

    /// An operation that fails with `error` for its first `failures` calls, then returns how many calls it took.
    final class Flaky: Sendable {
        let calls = NIOLockedValueBox(0)
        let failures: Int
        let error: any Error
        init(failures: Int, error: any Error) {
            self.failures = failures
            self.error = error
        }
        func call() throws -> Int {
            let count = calls.withLockedValue { $0 += 1; return $0 }
            if count <= failures { throw error }
            return count
        }
    }

    /// Short delays and a long window: the tests share the cooperative pool with every other suite, and a 10 ms sleep
    /// has taken 19 s under CI's load, so nothing here counts on time being short.
    var quick: OutageRetry {
        var retry = OutageRetry(window: .seconds(600))
        retry.firstDelay = .milliseconds(10)
        retry.maxDelay = .milliseconds(40)
        return retry
    }

    @Test("an outage that ends inside the window costs retries, not the write")
    func outageEnds() async throws {
        let flaky = Flaky(failures: 3, error: BlobError.unavailable("S3 did not answer"))
        let calls = try await quick.run("storing", logger: logger) { try flaky.call() }
        #expect(calls == 4)
    }

    @Test("an error that is not an outage is thrown at once")
    func notAnOutage() async throws {
        let flaky = Flaky(failures: 1, error: BlobError.notFound("runs/x"))
        await #expect(throws: BlobError.self) { try await quick.run("storing", logger: logger) { try flaky.call() } }
        #expect(flaky.calls.withLockedValue { $0 } == 1)
    }

    @Test("an outage longer than the window gives its error back when the window is over")
    func outageOutlastsWindow() async throws {
        var retry = quick
        retry.window = .milliseconds(200)
        let flaky = Flaky(failures: .max, error: BlobError.unavailable("S3 did not answer"))
        let started = ContinuousClock.now
        await #expect(throws: BlobError.self) { try await retry.run("storing", logger: logger) { try flaky.call() } }
        // It retried, then stopped once the window was over: no try starts after the window and a delay.
        #expect(flaky.calls.withLockedValue { $0 } >= 2 || ContinuousClock.now - started > retry.window)
        #expect(flaky.calls.withLockedValue { $0 } <= 1 + Int((ContinuousClock.now - started) / retry.firstDelay))
    }

    @Test("no window, no retry")
    func none() async throws {
        let flaky = Flaky(failures: 1, error: BlobError.unavailable("S3 did not answer"))
        await #expect(throws: BlobError.self) { try await OutageRetry(window: .zero).run("storing", logger: logger) { try flaky.call() } }
        #expect(flaky.calls.withLockedValue { $0 } == 1)
    }
}
