import Foundation
import PlaytestServices

/// Flower-like view of the workers and the queue: who is alive and doing what, how deep the queue
/// is per state, the recent failures (with Retry) and the queued or running jobs (with Cancel).
struct WorkersPage {
    var workers: [WorkerView]
    var now: Date
    /// Jobs per state.
    var counts: [String: Int]
    var failures: [JobView]
    var active: [JobView]

    func page() -> WebPage {
        WebPage(title: "Workers and queue", section: .workers, kind: "workers", content: group {
            WebParts.pageHeader("Workers and queue")
            el("div", .id("queue-live"), .data("refresh", "5000")) {
                depth()
                workerTable()
                jobTable(title: "Queued and running", id: "active-jobs", jobs: active, empty: "Nothing queued or running.")
                jobTable(title: "Recent failures", id: "failed-jobs", jobs: failures, empty: "No failed or cancelled jobs.")
            }
        })
    }

    private func depth() -> HTML {
        el("section", Attribute("aria-labelledby", "depth-title")) {
            el("h2", .id("depth-title")) { "Queue depth" }
            el("ul", .cls("depth"), .id("queue-depth")) {
                for state in JobView.states {
                    el("li", .cls("depth-\(state)"), .data("state", state)) {
                        el("span", .cls("depth-count")) { String(counts[state] ?? 0) }
                        el("span", .cls("depth-label")) { state }
                    }
                }
            }
        }
    }

    private func workerTable() -> HTML {
        el("section", Attribute("aria-labelledby", "workers-title")) {
            el("h2", .id("workers-title")) { "Workers" }
            if workers.isEmpty {
                WebParts.emptyState("No worker has reported yet. Start one with `playtest worker`, or `playtest serve` runs one itself.")
            } else {
                el("div", .cls("table-wrap")) {
                    el("table", .id("workers")) {
                        el("thead") {
                            el("tr") {
                                for header in ["Worker", "Host", "PID", "Slots", "Heartbeat", "Current jobs", "State"] {
                                    el("th", Attribute("scope", "col")) { header }
                                }
                            }
                        }
                        el("tbody") {
                            for worker in workers { workerRow(worker) }
                        }
                    }
                }
            }
        }
    }

    private func workerRow(_ worker: WorkerView) -> HTML {
        el("tr", .cls(worker.alive ? nil : "muted")) {
            el("td") { el("code") { worker.id } }
            el("td") { worker.hostname }
            el("td", .cls("num")) { String(worker.pid) }
            el("td", .cls("num")) { String(worker.concurrency) }
            el("td") { WebFormat.age(worker.heartbeatAt, now: now) }
            el("td") {
                let ids = worker.runningJobs
                if ids.isEmpty {
                    "idle"
                } else {
                    for id in ids {
                        let job = active.first { $0.id == id }
                        el("div") {
                            if let runID = job?.runID {
                                el("a", .href("/runs/\(runID)")) { runID }
                            } else {
                                el("code") { id }
                            }
                        }
                    }
                }
            }
            el("td") { el("span", .cls("badge worker-\(worker.state)")) { worker.state } }
        }
    }

    private func jobTable(title: String, id: String, jobs: [JobView], empty: String) -> HTML {
        el("section", Attribute("aria-labelledby", id + "-title")) {
            el("h2", .id(id + "-title")) { title }
            if jobs.isEmpty {
                WebParts.emptyState(empty)
            } else {
                el("div", .cls("table-wrap")) {
                    el("table", .id(id)) {
                        el("thead") {
                            el("tr") {
                                for header in ["Job", "Kind", "Run", "State", "Attempt", "When", "Last error", "Action"] {
                                    el("th", Attribute("scope", "col")) { header }
                                }
                            }
                        }
                        el("tbody") {
                            for job in jobs { jobRow(job) }
                        }
                    }
                }
            }
        }
    }

    private func jobRow(_ job: JobView) -> HTML {
        el("tr", .data("job-id", job.id)) {
            el("td") { el("code", .title(job.id)) { String(job.id.prefix(8)) } }
            el("td") { job.kind }
            el("td") {
                if let runID = job.runID { el("a", .href("/runs/\(runID)")) { runID } } else { "–" }
            }
            el("td") {
                el("span", .cls("badge job-\(job.state)")) { job.cancelRequested && job.state == "running" ? "stopping" : job.state }
            }
            el("td", .cls("num")) { "\(job.attempt)/\(job.maxAttempts)" }
            el("td") { WebFormat.age(job.lastActivity, now: now) }
            el("td", .cls("error-text")) { job.errors.last?.message ?? "" }
            el("td") {
                if job.isDiscarded {
                    el("button", .type("button"), .cls("needs-admin"), .data("job-action", "retry"), .data("job", job.id), .label("Retry job \(job.id)")) { "Retry" }
                } else if job.isActive {
                    el("button", .type("button"), .cls("danger needs-admin"), .data("job-action", "cancel"), .data("job", job.id), .label("Cancel job \(job.id)"),
                       Attribute.flag("disabled", job.cancelRequested)) { "Cancel" }
                }
            }
        }
    }
}
