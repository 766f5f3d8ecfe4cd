import ArgumentParser
import Foundation
import PlaytestServices

struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a DQN agent on one map locally and print its learning curve.",
        discussion: """
            Plays and learns in this process, showing the live loss on stderr, and prints the training log on \
            stdout (a table, or with --format json exactly what GET /api/v1/training/{id}/logs returns). \
            Checkpoints are stored in the library; resume one with --resume ckpt_… (or a training run id). \
            Ctrl-C stops the run cleanly and keeps its final checkpoint.
            """
    )

    @OptionGroup var options: LocalRunOptions

    @Option(name: .long, help: "The iteration (agent step) to stop at.")
    var iterations: Int

    @Option(name: .long, help: "Action groups, e.g. \"turn_lr;attack\" (default: the scenario's buttons, else move_fb;move_lr;turn_lr;attack).")
    var actions: String?

    @Option(name: .long, help: "Continue from a stored checkpoint (ckpt_…) or a training run's newest one (train_…).")
    var resume: String?

    @Option(name: .long, help: "Checkpoint every N iterations (default: a tenth of the run, 100–10000).")
    var checkpointEvery: Int?

    func validate() throws {
        guard (1...RunLauncher.maxIterations).contains(iterations) else { throw ValidationError("--iterations must be in 1...\(RunLauncher.maxIterations)") }
    }

    func run() async throws {
        try await LocalSession.run(train)
    }

    private func train(_ session: LocalSession) async throws {
        let map = try await session.importMap(options.wad, level: options.map)
        var params = options.params
        if let checkpointEvery { params["checkpoint_every"] = .int(checkpointEvery) }
        let started = try await session.start { launcher in
            try await launcher.startTraining(TrainingRunRequest(
                mapID: map.id, map: options.map, maxIterations: iterations, actionCombinations: actions, params: params,
                resumeFrom: resume))
        }
        let progress = LocalProgress()
        let finished = try await session.play(started, show: progress.show)
        progress.finish()
        let log = try await session.services.reports.trainingLog(id: started.id)
        switch options.format {
        case .json: print(try LocalOutputFormat.json(log))
        case .table:
            print(LocalTables.training(log))
            if let last = try await session.services.reports.checkpoints(id: started.id).checkpoints.last {
                print("checkpoint: \(last.id) (iteration \(last.iteration)); resume with --resume \(last.id)")
            }
        }
        try LocalOutputFormat.exit(for: finished)
    }
}
