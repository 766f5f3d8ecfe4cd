import Foundation
import PlaytestCore
import PlaytestServices

/// What both run pages show at the top: the title, status, Stop button, the facts of the run,
/// the progress bar and, when the run failed, the agent's error.
struct RunHeader {
    var run: RunView
    var progressPercent: Double
    var progressText: String
    var eta: String
    var completed: Int

    /// `progress` in percent, `eta` the estimated seconds left (nil while estimating), `completed` the episodes or
    /// iterations done, `text` the progress line.
    init(run: RunView, progress: Double, eta: Double?, completed: Int, text: String) {
        self.run = run
        self.progressPercent = progress
        self.progressText = text
        self.eta = Self.eta(eta, active: run.isActive)
        self.completed = completed
    }

    var id: String { run.id }
    var isActive: Bool { run.isActive }

    func title() -> HTML {
        group {
            el("p", .cls("crumbs")) { el("a", .href("/runs")) { "Runs" }; " / "; id }
            WebParts.pageHeader((run.kind == .testing ? "Test run " : "Training run ") + id) {
                WebParts.statusBadge(run.status.rawValue, runID: id)
                if isActive {
                    el("button", .type("button"), .cls("danger needs-user"), .data("stop", id), .data("kind", run.kind.rawValue),
                       Attribute.flag("disabled", run.status == .stopping)) { run.status == .stopping ? "Stopping…" : "Stop" }
                }
            }
        }
    }

    /// The data `/app.js` reads to follow the run live.
    func anchor() -> HTML {
        el("div", .id("run"), .data("run-id", id), .data("kind", run.kind.rawValue), .data("status", run.status.rawValue),
           .data("completed", String(completed)), .data("started-at", run.startedAt.map(WebFormat.iso)), Attribute("hidden", ""))
    }

    func failure() -> HTML {
        group {
            if run.status == .failed {
                WebParts.failurePanel(
                    title: "This run failed",
                    message: run.error ?? "The run failed without a message; the worker log has the details.",
                    detail: run.stderrTail)
            } else if run.status == .stopped {
                el("p", .cls("note")) { "This run was stopped before it finished; what it played so far is kept below." }
            }
        }
    }

    func progress() -> HTML {
        el("section", .cls("progress-block"), .label("Progress")) {
            el("progress", .id("run-progress"), Attribute("max", "100"), .value(WebFormat.number(progressPercent, digits: 1)),
               .label("Run progress"))
            el("div", .cls("progress-line")) {
                el("span", .id("progress-text"), Attribute("aria-live", "polite")) { progressText }
                el("span", .id("progress-eta")) { eta }
            }
        }
    }

    func facts(_ extra: [(String, String)]) -> HTML {
        WebParts.stats([
            ("Map", run.map + " · " + run.mapName),
            ("Agent", run.agent),
            ("Started by", run.owner ?? "the command line"),
        ] + extra + [
            ("Created (UTC)", WebFormat.date(run.createdAt)),
            ("Started (UTC)", WebFormat.date(run.startedAt)),
            ("Finished (UTC)", WebFormat.date(run.completedAt)),
        ], id: "run-facts")
    }

    func mapLink() -> HTML {
        el("p") {
            el("a", .href("/maps/\(run.mapID)?map=\(run.map)")) { "Open the map \(run.map)" }
        }
    }

    static func eta(_ seconds: Double?, active: Bool) -> String {
        guard active else { return "" }
        guard let seconds else { return "ETA: estimating…" }
        return "ETA " + WebFormat.seconds(seconds)
    }
}
