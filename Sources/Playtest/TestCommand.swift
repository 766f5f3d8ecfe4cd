import ArgumentParser
import Foundation
import PlaytestCore
import PlaytestServices

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

    @OptionGroup var options: LocalRunOptions

    @Option(name: .long, help: "navigator, explorer, random or dqn (default: navigator, which plays the planner's route to the exit; explorer on a VizDoom scenario; dqn with --checkpoint).")
    var agent: String?

    @Flag(name: .long, help: "A navigation-only test: the engine's god mode, so that only the map's layout can stop the agent.")
    var godMode = false

    @Option(name: .long, help: "A DQN checkpoint to play: a .pt file, a stored id (ckpt_…) or a shipped name (general, defend_the_center, health_gathering).")
    var checkpoint: String?

    @Option(name: .long, help: "Episodes to play.")
    var episodes = 5

    func validate() throws {
        guard (1...RunLauncher.maxEpisodes).contains(episodes) else { throw ValidationError("--episodes must be in 1...\(RunLauncher.maxEpisodes)") }
    }

    func run() async throws {
        try await LocalSession.run(play)
    }

    private func play(_ session: LocalSession) async throws {
        let map = try await session.importMap(options.wad, level: options.map)
        var reference = checkpoint
        if let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
            reference = try await session.services.launcher.importCheckpoint(fileAt: checkpoint)
        }
        let started = try await session.start { launcher in
            try await launcher.startTest(TestRunRequest(
                mapID: map.id, map: options.map, agent: agent, checkpoint: reference, episodes: episodes,
                params: options.params.merging(godMode ? ["god_mode": .bool(true)] : [:]) { $1 }))
        }
        let progress = LocalProgress()
        let finished = try await session.play(started, show: progress.show)
        progress.finish()
        let results = try await session.services.reports.testResults(id: started.id)
        switch options.format {
        case .json: print(try LocalOutputFormat.json(results))
        case .table: print(LocalTables.test(results))
        }
        try LocalOutputFormat.exit(for: finished)
    }
}
