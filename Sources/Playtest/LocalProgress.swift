import Foundation
import NIOConcurrencyHelpers
import PlaytestServices

/// The progress line of a local run on stderr: a redrawn bar on a terminal, plain lines otherwise
/// (one per finished episode, or per training report).
final class LocalProgress: Sendable {
    private struct State {
        var lastEpisodeLine = -1
        var lastWidth = 0
    }

    let interactive: Bool
    private let started = ContinuousClock.now
    private let state = NIOLockedValueBox(State())

    init() {
        interactive = isatty(STDERR_FILENO) != 0
    }

    func show(_ message: RunLiveMessage) {
        switch message {
        case .testingProgress(let p):
            let done = p.episodesCompleted
            let eta = estimate(done: Double(done), total: Double(p.totalEpisodes))
            let text = "episode \(min(p.episode, p.totalEpisodes))/\(p.totalEpisodes)  kills \(p.kills)  health \(p.health)  steps \(p.steps)\(eta)"
            if interactive {
                draw(bar(fraction: p.progressPercent / 100) + " " + text)
            } else if state.withLockedValue({ state -> Bool in
                defer { state.lastEpisodeLine = done }
                return done != state.lastEpisodeLine && done > 0
            }) {
                line("\(done)/\(p.totalEpisodes) episodes done  kills \(p.kills)  health \(p.health)\(eta)")
            }
        case .trainingProgress(let p):
            let loss = p.dqnLoss.map { String(format: "%.5f", $0) } ?? "-"
            let reward = p.meanReward.map { String(format: "%.2f", $0) } ?? "-"
            let eta = estimate(done: Double(p.iteration), total: Double(p.maxIterations))
            let text = "iteration \(p.iteration)/\(p.maxIterations)  loss \(loss)  ε \(String(format: "%.3f", p.epsilon))  reward \(reward)  \(Int(p.stepsPerSecond)) steps/s\(eta)"
            if interactive { draw(bar(fraction: p.progressPercent / 100) + " " + text) } else { line(text) }
        case .runFailed(_, let error, _):
            line("run failed: \(error)")
        case .runStopped:
            line("run stopped")
        default:
            break
        }
    }

    /// Ends the redrawn line so what follows starts on a fresh one.
    func finish() {
        if interactive, state.withLockedValue({ $0.lastWidth > 0 }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func estimate(done: Double, total: Double) -> String {
        guard done > 0, total > done else { return "" }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) * (total - done) / done
        return seconds < 1 ? "" : "  ETA \(Int(seconds.rounded()))s"
    }

    private func bar(fraction: Double) -> String {
        let width = 24
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded())))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    private func draw(_ text: String) {
        let padded = state.withLockedValue { state -> String in
            defer { state.lastWidth = text.count }
            return text + String(repeating: " ", count: max(0, state.lastWidth - text.count))
        }
        FileHandle.standardError.write(Data(("\r" + padded).utf8))
    }

    private func line(_ text: String) {
        finish()
        state.withLockedValue { $0.lastWidth = 0 }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
