import Dispatch
import Foundation

extension ProgressionPlanner {
    /// One map's plan from a batch, with how long its geometry and planning took.
    public struct BatchEntry: Sendable {
        public let map: String
        public let plan: ProgressionPlan
        public let ms: Double
    }

    /// Plans every map of a WAD, `concurrency` maps at a time (a WAD's maps share nothing), and returns the plans in
    /// the order given. Only the plans are kept: each map's graph is dropped once it is planned (the graphs of a
    /// 32-map WAD together take gigabytes).
    public static func plans(for maps: [DoomMap], skill: Int, concurrency: Int) -> [BatchEntry] {
        let slots = BatchSlots(count: maps.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(concurrency, maps.count))) { _ in
            while let index = slots.next() {
                let started = ContinuousClock.now
                let plan = plan(geometry: MapGeometry(maps[index]), skill: skill).plan
                let elapsed = ContinuousClock.now - started
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                slots.store(BatchEntry(map: maps[index].name, plan: plan, ms: ms), at: index)
            }
        }
        return slots.entries()
    }
}

/// The batch's shared state: the next map to plan and the plans done, behind one lock.
private final class BatchSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var done: [ProgressionPlanner.BatchEntry?]

    init(count: Int) { done = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < done.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func store(_ entry: ProgressionPlanner.BatchEntry, at index: Int) {
        lock.lock()
        done[index] = entry
        lock.unlock()
    }

    func entries() -> [ProgressionPlanner.BatchEntry] {
        lock.lock()
        defer { lock.unlock() }
        return done.compactMap { $0 }
    }
}
