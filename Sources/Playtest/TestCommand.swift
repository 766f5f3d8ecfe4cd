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

    @OptionGroup var options: LocalRunOptions

    @Option(name: .long, help: "explorer, random or dqn (default: explorer; dqn with --checkpoint).")
    var agent: String?

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
        let map = try await session.importMap(options.wad)
        var reference = checkpoint
        if let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
            reference = try await session.launcher.importCheckpoint(fileAt: checkpoint).id
        }
        let params = options.params
        let run: RunRecord
        do {
            run = try await session.launcher.startTest(TestRunRequest(
                mapID: try map.requireID(), mapName: options.map, agent: agent, checkpoint: reference, episodes: episodes, params: params))
        } catch let error as RunRequestError {
            throw StartupError(message: error.message)
        }
        let runID = try run.requireID()
        let progress = LocalProgress()
        let finished = try await session.play(runID: runID, kind: .testing, show: progress.show)
        progress.finish()
        let results = try await RunReports(engines: session.engines).testResults(finished)
        switch options.format {
        case .json: print(try LocalOutputFormat.json(results))
        case .table: print(LocalTables.test(results))
        }
        try LocalOutputFormat.exit(for: finished)
    }
}
