import Foundation
import PlaytestCore
import PlaytestServices

/// A training run: progress, the live loss curve (raw and smoothed) and mean-reward curve, ε and
/// steps/s, the checkpoints with a button to test each one.
struct TrainingRunPage {
    var header: RunHeader
    var status: TrainingStatus
    var log: TrainingLog
    var checkpoints: [CheckpointView]

    func page() -> WebPage {
        let latest = status.latestMetrics
        return WebPage(title: "Training run \(header.id)", section: .runs, kind: "run", content: group {
            el("div", .id("run-live")) {
                header.title()
                header.anchor()
                header.failure()
                header.progress()
                header.facts([
                    ("Iteration", "\(status.progress.currentIteration) of \(status.progress.maxIterations)"),
                    ("ε (exploration)", latest.map { WebFormat.number($0.epsilon, digits: 3) } ?? "–"),
                    ("Steps/s", latest.map { WebFormat.number($0.stepsPerSecond, digits: 0) } ?? "–"),
                    ("Loss (latest)", latest?.dqnLoss.map { WebFormat.number($0, digits: 4) } ?? "–"),
                    ("Mean reward (latest)", latest?.meanReward.map { WebFormat.number($0, digits: 2) } ?? "–"),
                    ("Resumed from", header.run.checkpoint ?? "–"),
                ])
                header.mapLink()
                el("div", .cls("grid-2")) {
                    curve(\.dqnLoss, title: "DQN loss", yLabel: "loss", id: "loss-chart", color: 1)
                    curve(\.meanReward, title: "Mean episode reward", yLabel: "reward", id: "reward-chart", color: 3)
                }
                checkpointTable()
            }
        })
    }

    /// The raw values faint, an exponential moving average on top.
    private func curve(_ value: KeyPath<TrainingLogPoint, Double?>, title: String, yLabel: String, id: String, color: Int) -> HTML {
        let raw = log.iterations.compactMap { point in point[keyPath: value].map { (x: Double(point.iteration), y: $0) } }
        return SVGChart.lines([
            SVGChart.Series(name: title + " (raw)", points: SVGChart.thinned(raw), color: color, faint: true),
            SVGChart.Series(name: title + " (smoothed)", points: SVGChart.thinned(SVGChart.smoothed(raw)), color: color),
        ], title: title, xLabel: "iteration", yLabel: yLabel, id: id)
    }

    private func checkpointTable() -> HTML {
        el("section", Attribute("aria-labelledby", "checkpoints-title")) {
            el("h2", .id("checkpoints-title")) { "Checkpoints" }
            if checkpoints.isEmpty {
                WebParts.emptyState("No checkpoint saved yet.")
            } else {
                el("div", .cls("table-wrap")) {
                    el("table", .id("checkpoints")) {
                        el("thead") {
                            el("tr") {
                                for header in ["Checkpoint", "Iteration", "ε", "Size", "Saved (UTC)", "", ""] {
                                    el("th", Attribute("scope", "col")) { header }
                                }
                            }
                        }
                        el("tbody") {
                            for checkpoint in checkpoints {
                                el("tr") {
                                    el("td") { el("code") { checkpoint.id }; checkpoint.final ? " (final)" : "" }
                                    el("td", .cls("num")) { String(checkpoint.iteration) }
                                    el("td", .cls("num")) { WebFormat.number(checkpoint.epsilon, digits: 3) }
                                    el("td", .cls("num")) { WebFormat.bytes(checkpoint.bytes) }
                                    el("td") { WebFormat.date(checkpoint.createdAt) }
                                    el("td") { el("a", .href(checkpoint.url), Attribute("download", "")) { "Download" } }
                                    el("td") {
                                        el("button", .type("button"), .cls("secondary small needs-user"), .data("test-checkpoint", checkpoint.id),
                                           .data("map-id", header.run.mapID), .data("map", header.run.map),
                                           .label("Test checkpoint \(checkpoint.id) on \(header.run.map)")) { "Test this checkpoint" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
