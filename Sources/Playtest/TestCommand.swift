import ArgumentParser
import Foundation
import PlaytestStorage

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Play-test one map locally and print its results.",
        discussion: """
            Imports the WAD into the library (the configured data folder; an identical file is reused), plays N \
            episodes with an agent in this process, shows progress on stderr and prints the results on stdout: \
            a table, or with --format json exactly what GET /api/v1/testing/{id}/results returns. Ctrl-C stops \
            the run cleanly and prints what was played. Exit status 1 when the run failed.
            """
    )

    @Argument(help: "A .wad file, or the name of a bundled VizDoom scenario (e.g. defend_the_center).")
    var wad: String

    @Option(name: .long, help: "The map inside the WAD (default: its first map).")
    var map: String?

    @Option(name: .long, help: "explorer, random or dqn (default: explorer; dqn with --checkpoint).")
    var agent: String?

    @Option(name: .long, help: "A DQN checkpoint to play: a .pt file, a stored id (ckpt_…) or a shipped name (general, defend_the_center, health_gathering).")
    var checkpoint: String?

    @Option(name: .long, help: "Episodes to play.")
    var episodes = 5

    @Option(name: .long, help: "Episode length limit in seconds of game time (default: the scenario's, else 60).")
    var episodeTime: Int?

    @Option(name: .long, help: "Skill 1–5.")
    var skill: Int?

    @Option(name: .long, help: "Engine and agent seed.")
    var seed: Int?

    @Option(name: .long, help: "table or json.")
    var format: LocalOutputFormat = .table

    func validate() throws {
        guard (1...RunLauncher.maxEpisodes).contains(episodes) else { throw ValidationError("--episodes must be in 1...\(RunLauncher.maxEpisodes)") }
        if let episodeTime, !(1...3600).contains(episodeTime) { throw ValidationError("--episode-time must be in 1...3600 seconds") }
        if let skill, !(1...5).contains(skill) { throw ValidationError("--skill must be in 1...5") }
    }

    func run() async throws {
        let session = try await LocalSession.open()
        do {
            try await play(session)
            await session.close()
        } catch {
            await session.close()
            throw error
        }
    }

    private func play(_ session: LocalSession) async throws {
        let map = try await session.importMap(wad)
        var reference = checkpoint
        if let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
            reference = try await session.launcher.importCheckpoint(fileAt: checkpoint).id
        }
        var params: [String: RequestValue] = [:]
        if let episodeTime { params["episode_time"] = .int(episodeTime) }
        if let skill { params["skill"] = .int(skill) }
        if let seed { params["seed"] = .int(seed) }
        let run: RunRecord
        do {
            run = try await session.launcher.startTest(TestRunRequest(
                mapID: try map.requireID(), mapName: self.map, agent: agent, checkpoint: reference, episodes: episodes, params: params))
        } catch let error as RunRequestError {
            throw StartupError(message: error.message)
        }
        let runID = try run.requireID()
        let progress = LocalProgress()
        let finished = try await session.play(runID: runID, kind: .testing, show: progress.show)
        progress.finish()
        let reports = RunReports(
            runs: RunStore(sql: session.engines.sql), telemetry: RunTelemetryStore(sql: session.engines.sql),
            live: RunLiveState(live: session.engines.live))
        let results = try await reports.testResults(finished)
        switch format {
        case .json: print(try LocalOutputFormat.json(results))
        case .table: print(LocalTables.test(results))
        }
        try LocalOutputFormat.exit(for: finished)
    }
}
