import ArgumentParser
import PlaytestCore

/// The options `playtest test` and `playtest train` share: what to play, how, and how to print the outcome.
struct LocalRunOptions: ParsableArguments {
    @Argument(help: "A .wad file, or the name of a bundled VizDoom scenario (e.g. defend_the_center).")
    var wad: String

    @Option(name: .long, help: "The map inside the WAD (default: its first map).")
    var map: String?

    @Option(name: .long, help: "Episode length limit in seconds of game time (default: the scenario's; 600 for the navigator; else 60).")
    var episodeTime: Int?

    @Option(name: .long, help: "Skill 1–5.")
    var skill: Int?

    @Option(name: .long, help: "Engine and agent seed.")
    var seed: Int?

    @Option(name: .long, help: "table or json.")
    var format: LocalOutputFormat = .table

    func validate() throws {
        if let episodeTime, !(1...3600).contains(episodeTime) { throw ValidationError("--episode-time must be in 1...3600 seconds") }
        if let skill, !(1...5).contains(skill) { throw ValidationError("--skill must be in 1...5") }
    }

    /// The start request's `params` for these options.
    var params: [String: JSONValue] {
        var params: [String: JSONValue] = [:]
        if let episodeTime { params["episode_time"] = .int(episodeTime) }
        if let skill { params["skill"] = .int(skill) }
        if let seed { params["seed"] = .int(seed) }
        return params
    }
}
