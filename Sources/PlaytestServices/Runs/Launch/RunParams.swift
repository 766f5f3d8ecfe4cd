import PlaytestCore

/// The `params` objects of start requests: which keys exist, their ranges, and how they become a `RunPlan`.
/// An unknown key is refused, so a typo never silently changes a run. The DQN keys come from ``DQNParameter/all``.
public enum RunParams {
    public static let resolutions: Set<String> = [
        "160x120", "200x125", "200x150", "256x144", "256x160", "256x192", "320x180", "320x200", "320x240", "400x225",
        "400x250", "400x300", "640x360", "640x400", "640x480",
    ]
    static let ticsPerSecond = 35

    /// The integer params and their ranges (the API document describes them from here).
    public static let integerRanges: [String: ClosedRange<Int>] = [
        "episode_time": 1...3600, "skill": 1...5, "seed": 0...Int(Int32.max), "frame_skip": 1...16, "telemetry_every": 1...100,
        "checkpoint_every": 10...1_000_000, "progress_every": 1...100_000,
    ]
    /// `screenshot_tics`: tics of the first hour, at most this many.
    public static let screenshotTics = (range: 0...(3600 * 35), maxCount: 64)

    /// The keys every start request's params accept.
    public static let common: Set<String> = ["scenario", "episode_time", "skill", "seed", "frame_skip", "resolution"]
    public static let testing: Set<String> = common.union(["visualize", "record_demos", "evidence", "screenshot_tics", "telemetry_every", "god_mode"])
    public static let training: Set<String> = common.union(["checkpoint_every", "progress_every"])
        .union(DQNParameter.requestable.keys)

    /// The settings every run shares, written into `plan`.
    static func applyCommon(_ fields: RequestFields, to plan: inout RunPlan) throws(RunRequestError) {
        if let seconds = try int(fields, "episode_time") { plan.episodeTimeoutTics = seconds * ticsPerSecond }
        plan.skill = try int(fields, "skill") ?? 3
        plan.seed = try int(fields, "seed")
        plan.frameSkip = try int(fields, "frame_skip")
        if let resolution = try fields.string("resolution") {
            guard resolutions.contains(resolution) else {
                throw RunRequestError.invalid("params.resolution must be one of \(resolutions.sorted().joined(separator: ", "))")
            }
            plan.resolution = resolution
        }
    }

    static func applyTesting(_ fields: RequestFields, to plan: inout RunPlan) throws(RunRequestError) {
        try fields.rejectUnknown(allowed: testing)
        try applyCommon(fields, to: &plan)
        plan.recordDemos = try fields.bool("record_demos") ?? true
        // The video and colour screenshots are made from the demos, so they are on whenever demos are.
        let evidence = try fields.bool("evidence") ?? plan.recordDemos
        if evidence && !plan.recordDemos {
            throw RunRequestError.invalid("params.evidence needs the episodes' demos: it cannot be on with record_demos false")
        }
        plan.evidence = evidence
        plan.telemetryEvery = try int(fields, "telemetry_every") ?? 1
        if try fields.bool("god_mode") == true { plan.godMode = true }
        // Every episode gets a picture at its first second; `visualize` adds one every 10 s of game time.
        var tics = try fields.ints("screenshot_tics", in: screenshotTics.range, maxCount: screenshotTics.maxCount) ?? [ticsPerSecond]
        if try fields.bool("visualize") == true {
            let end = plan.episodeTimeoutTics ?? 120 * ticsPerSecond
            tics += stride(from: 10 * ticsPerSecond, through: min(end, 600 * ticsPerSecond), by: 10 * ticsPerSecond)
        }
        plan.screenshotTics = Array(Set(tics)).sorted()
        plan.screenshots = true
    }

    static func applyTraining(_ fields: RequestFields, maxIterations: Int, to plan: inout RunPlan) throws(RunRequestError) {
        try fields.rejectUnknown(allowed: training)
        try applyCommon(fields, to: &plan)
        var dqn: [String: JSONValue] = [:]
        for (key, parameter) in DQNParameter.requestable {
            guard let accepts = parameter.request?.accepts, let value = try dqnValue(fields, key, accepts) else { continue }
            dqn[parameter.name] = value
        }
        // Defaults scaled to the run so that a short run still learns and shows a loss curve: updates start after a
        // fifth of the run (at most 5000 steps) and ε reaches its floor at 80% of it (at most 100k steps).
        dqn["learning_starts"] = dqn["learning_starts"] ?? .int(min(5000, maxIterations / 5))
        dqn["epsilon_decay"] = dqn["epsilon_decay"] ?? .int(max(1, min(100_000, maxIterations * 4 / 5)))
        plan.dqn = dqn
        plan.checkpointEvery = try int(fields, "checkpoint_every") ?? max(100, min(10_000, maxIterations / 10))
        plan.progressEvery = try int(fields, "progress_every") ?? max(10, min(1000, maxIterations / 100))
    }

    /// An integer param within its range in ``integerRanges``.
    static func int(_ fields: RequestFields, _ key: String) throws(RunRequestError) -> Int? {
        try fields.int(key, in: integerRanges[key] ?? Int.min...Int.max)
    }

    /// A DQN parameter's request value as its config value; nil when absent.
    static func dqnValue(_ fields: RequestFields, _ key: String, _ accepts: DQNParameter.Accepts) throws(RunRequestError) -> JSONValue? {
        switch accepts {
        case .integer(let range): return try fields.int(key, in: range).map { .int($0) }
        case .number(let range): return try fields.double(key, in: range).map { .double($0) }
        case .boolean: return try fields.bool(key).map { .bool($0) }
        case .choice(let values):
            guard let word = try fields.string(key) else { return nil }
            guard let value = values[word] else {
                let words = values.keys.sorted()
                throw RunRequestError.invalid("params.\(key) must be \(words.joined(separator: " or ")), got \(word.debugDescription)")
            }
            return value
        }
    }
}
