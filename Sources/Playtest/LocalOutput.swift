import ArgumentParser
import Foundation
import PlaytestCore
import PlaytestServices

/// How `playtest test` and `playtest train` print their results.
enum LocalOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json

    /// The API's one JSON convention (`PlaytestJSON`), so the output equals the endpoint's.
    static func json(_ value: some Encodable) throws -> String {
        try PlaytestJSON.string(value)
    }

    /// A failed run ends the command with status 1 and its reason; a stopped one with 130.
    static func exit(for run: RunView) throws {
        switch run.status {
        case .failed:
            var message = "error: the run failed: \(run.error ?? "no reason recorded")"
            if let tail = run.stderrTail?.split(separator: "\n").suffix(5).joined(separator: "\n"), !tail.isEmpty {
                message += "\nlast agent output:\n\(tail)"
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(1)
        case .stopped:
            throw ExitCode(130)
        default:
            break
        }
    }
}

/// Plain-text tables of results.
enum LocalTables {
    static func test(_ results: TestResults) -> String {
        var lines = ["test \(results.testID)  map \(results.map) of \(results.mapName)  agent \(results.agent)\(results.checkpoint.map { " (\($0))" } ?? "")  status \(results.status.rawValue)"]
        lines.append(row(["episode", "end", "kills", "deaths", "health lost", "ammo used", "seconds", "coverage"]))
        for e in results.episodes {
            lines.append(row([
                "\(e.episodeNum)", e.endReason?.rawValue ?? "-", "\(e.kills)", "\(e.deaths)", "\(e.healthLost)", "\(e.ammoUsed)",
                String(format: "%.1f", e.durationSeconds), e.coverage.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
            ]))
        }
        let a = results.aggregateMetrics
        lines.append("")
        lines.append("episodes \(results.episodesCompleted)/\(results.totalEpisodes)  kills \(a.totalKills) (mean \(String(format: "%.2f", a.meanKills)))  survival \(String(format: "%.0f%%", a.survivalRate * 100))  exit reached \(String(format: "%.0f%%", a.exitRate * 100))  mean health lost \(String(format: "%.1f", a.meanHealthLost))")
        if let hardness = results.hardness {
            lines.append("hardness \(String(format: "%.1f", hardness.score)) / 100 (\(hardness.band.rawValue))")
        }
        if let completion = results.completion {
            lines.append("verdict \(completion.verdict.rawValue): \(completion.summary)")
            if let proof = completion.proof, let demo = proof.demoURL { lines.append("proof demo \(demo)") }
        }
        if let error = results.error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }

    static func training(_ log: TrainingLog) -> String {
        var lines = ["training \(log.trainingID)  status \(log.status.rawValue)  iterations \(log.finalIteration ?? 0)/\(log.maxIterations)"]
        lines.append(row(["iteration", "loss", "epsilon", "mean reward", "mean kills", "steps/s"]))
        for p in log.iterations {
            lines.append(row([
                "\(p.iteration)", p.dqnLoss.map { String(format: "%.5f", $0) } ?? "-", String(format: "%.3f", p.epsilon),
                p.meanReward.map { String(format: "%.2f", $0) } ?? "-", p.meanKills.map { String(format: "%.2f", $0) } ?? "-",
                String(format: "%.0f", p.stepsPerSecond),
            ]))
        }
        lines.append("")
        lines.append("loss final \(log.finalLoss.map { String(format: "%.5f", $0) } ?? "-")  min \(log.minLoss.map { String(format: "%.5f", $0) } ?? "-")  duration \(log.durationSeconds.map { String(format: "%.0fs", $0) } ?? "-")")
        if let error = log.error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }

    private static func row(_ cells: [String]) -> String {
        cells.map { $0.padding(toLength: max(9, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
    }
}
