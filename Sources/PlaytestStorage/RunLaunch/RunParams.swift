/// The `params` objects of start requests: which keys exist, their ranges, and how they become a `RunPlan`.
/// An unknown key is refused, so a typo never silently changes a run.
enum RunParams {
    static let resolutions: Set<String> = ["160x120", "200x125", "200x150", "256x144", "256x160", "256x192", "320x180",
                                           "320x200", "320x240", "400x225", "400x250", "400x300", "640x360", "640x400", "640x480"]
    static let ticsPerSecond = 35

    static let common: Set<String> = ["scenario", "episode_time", "skill", "seed", "frame_skip", "resolution"]
    static let testing: Set<String> = common.union(["visualize", "record_demos", "screenshot_tics", "telemetry_every"])
    static let training: Set<String> = common.union([
        "height", "width", "network_type", "batch_size", "learning_rate", "gamma", "replay_size", "learning_starts",
        "train_every", "target_update_every", "epsilon_start", "epsilon_end", "epsilon_decay", "checkpoint_every",
        "progress_every", "optimizer", "hidden_size", "frame_history", "grayscale", "lstm_size", "sequence_length",
        "reward_scale", "kill_reward", "death_reward", "health_delta_reward", "ammo_used_reward", "item_reward",
        "movement_reward",
    ])

    /// The settings every run shares, written into `plan`.
    static func applyCommon(_ fields: RequestFields, to plan: inout RunPlan) throws(RunRequestError) {
        if let seconds = try fields.int("episode_time", in: 1...3600) { plan.episodeTimeoutTics = seconds * ticsPerSecond }
        plan.skill = try fields.int("skill", in: 1...5) ?? 3
        plan.seed = try fields.int("seed", in: 0...Int(Int32.max))
        plan.frameSkip = try fields.int("frame_skip", in: 1...16)
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
        plan.telemetryEvery = try fields.int("telemetry_every", in: 1...100) ?? 1
        // Every episode gets a picture at its first second; `visualize` adds one every 10 s of game time.
        var tics = try fields.ints("screenshot_tics", in: 0...(3600 * ticsPerSecond), maxCount: 64) ?? [ticsPerSecond]
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
        var dqn: [String: PlanValue] = [:]
        func int(_ key: String, as name: String? = nil, in range: ClosedRange<Int>) throws(RunRequestError) {
            if let value = try fields.int(key, in: range) { dqn[name ?? key] = .int(value) }
        }
        func double(_ key: String, in range: ClosedRange<Double>) throws(RunRequestError) {
            if let value = try fields.double(key, in: range) { dqn[key] = .double(value) }
        }
        try int("height", as: "frame_height", in: 16...240)
        try int("width", as: "frame_width", in: 16...320)
        try int("batch_size", in: 1...1024)
        try int("replay_size", in: 100...1_000_000)
        try int("train_every", in: 1...64)
        try int("target_update_every", in: 1...1_000_000)
        try int("hidden_size", in: 8...4096)
        try int("frame_history", in: 1...8)
        try int("lstm_size", in: 8...4096)
        try int("sequence_length", in: 2...64)
        try double("learning_rate", in: 1e-7...1)
        try double("gamma", in: 0...1)
        try double("epsilon_start", in: 0...1)
        try double("epsilon_end", in: 0...1)
        for key in ["reward_scale", "kill_reward", "death_reward", "health_delta_reward", "ammo_used_reward", "item_reward", "movement_reward"] {
            try double(key, in: -1000...1000)
        }
        if let grayscale = try fields.bool("grayscale") { dqn["grayscale"] = .bool(grayscale) }
        if let network = try fields.string("network_type") {
            guard network == "dqn_ff" || network == "dqn_rnn" else {
                throw RunRequestError.invalid("params.network_type must be dqn_ff or dqn_rnn, got \(network.debugDescription)")
            }
            dqn["recurrent"] = .bool(network == "dqn_rnn")
        }
        if let optimizer = try fields.string("optimizer") {
            guard optimizer == "adam" || optimizer == "rmsprop" else { throw RunRequestError.invalid("params.optimizer must be adam or rmsprop") }
            dqn["optimizer"] = .string(optimizer)
        }
        // Defaults scaled to the run so that a short run still learns and shows a loss curve: updates start after a
        // fifth of the run (at most 5000 steps) and ε reaches its floor at 80% of it (at most 100k steps).
        let learningStarts = try fields.int("learning_starts", in: 0...1_000_000) ?? min(5000, maxIterations / 5)
        dqn["learning_starts"] = .int(learningStarts)
        dqn["epsilon_decay"] = .int(try fields.int("epsilon_decay", in: 1...10_000_000) ?? max(1, min(100_000, maxIterations * 4 / 5)))
        plan.dqn = dqn
        plan.checkpointEvery = try fields.int("checkpoint_every", in: 10...1_000_000) ?? max(100, min(10_000, maxIterations / 10))
        plan.progressEvery = try fields.int("progress_every", in: 1...100_000) ?? max(10, min(1000, maxIterations / 100))
    }
}
