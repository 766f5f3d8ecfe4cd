/// Awards an agent session's milestones from its telemetry, each at most once: fed every step sample (with the
/// episode's coverage so far) and every episode's end. Seeded with what the session already holds, so a resumed run
/// or a retried batch never awards one twice.
public struct MilestoneTracker: Sendable {
    public private(set) var held: Set<Milestone>
    /// The map's par time, when its slot has one.
    public let parSeconds: Int?

    public init(held: Set<Milestone> = [], map: String) {
        self.held = held
        self.parSeconds = ParTimes.seconds(map: map)
    }

    /// Milestones this sample earns: kill marks, the first secret, keys newly held, coverage marks.
    public mutating func observe(_ sample: StepSample, coverage: Double?) -> [MilestoneAward] {
        var earned: [Milestone] = []
        for mark in Milestone.killMarks where sample.killcount >= mark.kills { earned.append(mark.milestone) }
        if sample.secretcount >= 1 { earned.append(.firstSecret) }
        for key in sample.keys ?? [] { if let milestone = Milestone(key: key) { earned.append(milestone) } }
        if let coverage {
            for mark in Milestone.coverageMarks where coverage >= mark.fraction { earned.append(mark.milestone) }
        }
        return award(earned, episode: sample.episode, tic: sample.tic, x: sample.x, y: sample.y)
    }

    /// Milestones the episode's end earns: survival, the exit, the exit without damage and under par.
    public mutating func finish(_ end: EpisodeEndMessage) -> [MilestoneAward] {
        var earned: [Milestone] = []
        if !end.dead, end.reason == .exit || end.reason == .timeout { earned.append(.survivedEpisode) }
        if end.reason == .exit {
            earned.append(.exitReached)
            if end.damageTaken == 0 { earned.append(.exitWithoutDamage) }
            if let parSeconds, Double(end.tics) / AgentProtocol.ticsPerSecond <= Double(parSeconds) { earned.append(.exitUnderPar) }
        }
        for mark in Milestone.killMarks where end.killcount >= mark.kills { earned.append(mark.milestone) }
        if end.secretcount >= 1 { earned.append(.firstSecret) }
        return award(earned, episode: end.episode, tic: end.tics, x: end.x, y: end.y)
    }

    private mutating func award(_ earned: [Milestone], episode: Int, tic: Int, x: Double, y: Double) -> [MilestoneAward] {
        earned.filter { held.insert($0).inserted }
            .map { MilestoneAward(milestone: $0, episode: episode, tic: tic, x: x, y: y) }
    }
}
