@testable import PlaytestServer
import Testing

@Suite("Live outbox throttling")
struct LiveOutboxTests {
    let start = ContinuousClock.now

    @Test("the first progress goes at once; later ones coalesce to the newest and wait for the interval")
    func coalesces() {
        var outbox = LiveOutbox(interval: .milliseconds(250))
        outbox.offerProgress(runID: "r", "p1", urgent: false)
        #expect(outbox.next(now: start) == .send("p1"))
        for index in 2...20 { outbox.offerProgress(runID: "r", "p\(index)", urgent: false) }
        #expect(outbox.next(now: start + .milliseconds(100)) == .wait(until: start + .milliseconds(250)))
        #expect(outbox.next(now: start + .milliseconds(250)) == .send("p20"))
        #expect(outbox.next(now: start + .milliseconds(260)) == .idle)
    }

    @Test("urgent progress (an episode finished) skips the throttle; a run's end flushes its waiting progress first")
    func urgentAndOrder() {
        var outbox = LiveOutbox(interval: .milliseconds(250))
        outbox.offerProgress(runID: "r", "p1", urgent: false)
        #expect(outbox.next(now: start) == .send("p1"))
        outbox.offerProgress(runID: "r", "episode done", urgent: true)
        #expect(outbox.next(now: start + .milliseconds(10)) == .send("episode done"))
        outbox.offerProgress(runID: "r", "p2", urgent: false)
        outbox.offer(runID: "r", "completed")
        #expect(outbox.next(now: start + .milliseconds(20)) == .send("p2"))
        #expect(outbox.next(now: start + .milliseconds(20)) == .send("completed"))
        #expect(outbox.next(now: start + .milliseconds(20)) == .idle)
    }

    @Test("runs are throttled independently, and a left run's waiting progress is dropped")
    func perRun() {
        var outbox = LiveOutbox(interval: .milliseconds(250))
        outbox.offerProgress(runID: "a", "a1", urgent: false)
        outbox.offerProgress(runID: "b", "b1", urgent: false)
        #expect(outbox.next(now: start) == .send("a1"))
        #expect(outbox.next(now: start) == .send("b1"))
        outbox.offerProgress(runID: "a", "a2", urgent: false)
        outbox.drop(runID: "a")
        #expect(outbox.next(now: start + .seconds(1)) == .idle)
    }

    @Test("a client that reads nothing overflows its bounded queue instead of growing without end")
    func bounded() {
        var outbox = LiveOutbox(interval: .milliseconds(250), capacity: 8)
        for index in 0..<8 { outbox.offer(runID: "r", "m\(index)") }
        #expect(!outbox.isOverflowing)
        outbox.offer(runID: "r", "m8")
        #expect(outbox.isOverflowing)
        // Progress never overflows it: it coalesces.
        var progress = LiveOutbox(interval: .milliseconds(250), capacity: 8)
        for index in 0..<1000 { progress.offerProgress(runID: "r", "p\(index)", urgent: false) }
        #expect(!progress.isOverflowing)
    }
}
