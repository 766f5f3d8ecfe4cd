import Dispatch
import Synchronization

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
        // The next map to plan and the plans done: each thread takes the next map until none is left.
        let batch = Mutex((next: 0, done: [BatchEntry?](repeating: nil, count: maps.count)))
        DispatchQueue.concurrentPerform(iterations: max(1, min(concurrency, maps.count))) { _ in
            while let index = batch.withLock({ state -> Int? in
                guard state.next < maps.count else { return nil }
                state.next += 1
                return state.next - 1
            }) {
                let started = ContinuousClock.now
                let plan = plan(geometry: MapGeometry(maps[index]), skill: skill).plan
                let elapsed = ContinuousClock.now - started
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                batch.withLock { $0.done[index] = BatchEntry(map: maps[index].name, plan: plan, ms: ms) }
            }
        }
        return batch.withLock { $0.done.compactMap { $0 } }
    }
}
