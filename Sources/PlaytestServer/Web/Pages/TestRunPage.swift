import Foundation
import PlaytestCore
import PlaytestServices

/// A test run: progress with ETA, the per-episode table, aggregate metrics, the kills chart, the
/// chosen episode's health timeline and events, trajectories and deaths on the map, screenshots
/// and demos. Everything is in the HTML; `/app.js` re-renders `#run-live` as episodes finish.
struct TestRunPage {
    var header: RunHeader
    var status: TestStatus
    var results: TestResults
    /// The episode whose timeline is shown, and its log.
    var chosenEpisode: Int?
    var log: EpisodeLog?
    var map: MapViewer?
    var artifacts: [ArtifactView]
    var agent: AgentPanels
    /// The run's videos and colour screenshots; nil while it plays.
    var evidence: RunEvidenceList?
    /// Seconds into the chosen episode's video to start at.
    var videoStart: Double?
    /// The run in words, once it has ended.
    var narrative: RunNarrative?

    func page() -> WebPage {
        WebPage(title: "Test run \(header.id)", section: .runs, kind: "run", content: group {
            el("div", .id("run-live")) {
                header.title()
                header.anchor()
                header.failure()
                header.progress()
                header.facts([
                    ("Checkpoint", results.checkpoint ?? "–"),
                    ("Episodes", "\(results.episodesCompleted) of \(results.totalEpisodes)"),
                ])
                header.mapLink()
                if let completion = results.completion { CompletionPanel(completion: completion, mapPage: "/maps/\(results.mapID)?map=\(results.map)").html() }
                if let narrative { summary(narrative) }
                agent.html()
                aggregate()
                episodesTable()
                el("div", .cls("grid-2")) {
                    SVGChart.bars(results.episodes.map { ("\($0.episodeNum)", Double($0.kills)) },
                                  title: "Kills per episode", yLabel: "kills", id: "kills-chart")
                    episodeDetail()
                }
                if let evidence {
                    EpisodeVideoPanel(evidence: evidence.episodes.first { $0.episode == chosenEpisode }, requested: evidence.requested,
                                      durationSeconds: results.episodes.first { $0.episodeNum == chosenEpisode }?.durationSeconds ?? 0,
                                      startAt: videoStart).html()
                }
                if let map {
                    el("section", .id("run-map"), Attribute("aria-labelledby", "trajectories-title")) {
                        el("h2", .id("trajectories-title")) { "Trajectories and deaths" }
                        map.html()
                    }
                }
                files()
            }
        })
    }

    private func summary(_ narrative: RunNarrative) -> HTML {
        el("section", .id("run-summary"), Attribute("aria-labelledby", "summary-title")) {
            el("h2", .id("summary-title")) { "Summary" }
            el("p", .cls("lead")) { narrative.headline }
            el("ul", .cls("summary-lines")) {
                for line in narrative.lines { el("li") { line } }
            }
            if let prose = narrative.prose {
                el("div", .cls("prose"), .id("summary-prose")) {
                    if let answer = prose.answer {
                        el("p", .cls("muted small")) { "Written by \(prose.model) from this run's figures and pictures:" }
                        for paragraph in answer.components(separatedBy: "\n").filter({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                            el("p") { paragraph }
                        }
                    } else {
                        el("p", .cls("muted small")) { "The summary by \(prose.model) could not be written: \(prose.error ?? "no answer")." }
                    }
                }
            }
            if !narrative.topFindings.isEmpty {
                el("ol", .cls("findings"), .id("summary-findings")) {
                    for finding in narrative.topFindings {
                        el("li") {
                            el("span", .cls("badge severity-\(finding.severity)")) { finding.severity }
                            " "
                            el("a", .href(finding.url)) { finding.kind.replacingOccurrences(of: "_", with: " ") }
                            ": \(finding.message) "
                            el("span", .cls("muted small")) { "(\(finding.sightings)× in this run)" }
                        }
                    }
                }
            }
        }
    }

    private func aggregate() -> HTML {
        let a = results.aggregateMetrics
        return el("section", Attribute("aria-labelledby", "aggregate-title")) {
            el("h2", .id("aggregate-title")) { "Aggregate metrics" }
            if a.episodes == 0 {
                WebParts.emptyState("No episode has finished yet.")
            } else {
                WebParts.stats([
                    ("Episodes", String(a.episodes)),
                    ("Mean kills", WebFormat.number(a.meanKills)),
                    ("Kills (min–max)", "\(a.minKills)–\(a.maxKills)"),
                    ("Deaths", String(a.totalDeaths)),
                    ("Survival rate", WebFormat.percent(a.survivalRate)),
                    ("Exit rate", WebFormat.percent(a.exitRate)),
                    ("Mean health lost", WebFormat.number(a.meanHealthLost, digits: 1)),
                    ("Mean ammo used", WebFormat.number(a.meanAmmoUsed, digits: 1)),
                    ("Mean duration", WebFormat.seconds(a.meanDurationSeconds)),
                    ("Coverage", a.coverage.map(WebFormat.percent) ?? "–"),
                    ("Hardness", results.hardness.map { "\(WebFormat.number($0.score, digits: 1)) (\($0.band.rawValue))" } ?? "–"),
                ], id: "aggregate")
            }
        }
    }

    private func episodesTable() -> HTML {
        el("section", Attribute("aria-labelledby", "episodes-title")) {
            el("h2", .id("episodes-title")) { "Episodes" }
            if results.episodes.isEmpty {
                WebParts.emptyState("No episode has finished yet.")
            } else {
                el("div", .cls("table-wrap")) {
                    el("table", .id("episodes")) {
                        el("thead") {
                            el("tr") {
                                for (header, numeric) in [("Episode", true), ("Kills", true), ("Deaths", true), ("Health lost", true),
                                                          ("Ammo used", true), ("Duration", true), ("Exit reached", false), ("Ended by", false)] {
                                    el("th", Attribute("scope", "col"), .cls(numeric ? "num" : nil)) { header }
                                }
                            }
                        }
                        el("tbody") {
                            for episode in results.episodes {
                                el("tr", .cls(episode.episodeNum == chosenEpisode ? "selected" : nil)) {
                                    el("td", .cls("num")) {
                                        el("a", .href("?episode=\(episode.episodeNum)#episode-detail")) { String(episode.episodeNum) }
                                    }
                                    el("td", .cls("num")) { String(episode.kills) }
                                    el("td", .cls("num")) { String(episode.deaths) }
                                    el("td", .cls("num")) { String(episode.healthLost) }
                                    el("td", .cls("num")) { String(episode.ammoUsed) }
                                    el("td", .cls("num")) { WebFormat.seconds(episode.durationSeconds) }
                                    el("td") { episode.exitReached ? "yes" : "no" }
                                    el("td") { episode.endReason?.rawValue ?? "–" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func episodeDetail() -> HTML {
        el("section", .id("episode-detail"), Attribute("aria-labelledby", "episode-title")) {
            el("h2", .id("episode-title")) { "Episode timeline" }
            if results.episodes.isEmpty {
                WebParts.emptyState("The timeline appears when the first episode finishes.")
            } else {
                el("form", .cls("episode-picker"), Attribute("method", "get"), Attribute("action", "#episode-detail")) {
                    el("label", .forID("episode-select")) { "Episode " }
                    el("select", .id("episode-select"), .name("episode")) {
                        for episode in results.episodes {
                            el("option", .value(String(episode.episodeNum)), Attribute.flag("selected", episode.episodeNum == chosenEpisode)) {
                                "Episode \(episode.episodeNum)"
                            }
                        }
                    }
                    el("noscript") { el("button", .type("submit")) { "Show" } }
                }
                if let log {
                    SVGChart.lines(
                        [SVGChart.Series(name: "health", points: SVGChart.thinned(Self.healthPoints(log)), color: 3)],
                        title: "Health over episode \(log.episodeNum)", xLabel: "seconds", yLabel: "health", id: "health-chart")
                    eventTimeline(log)
                }
            }
        }
    }

    private func eventTimeline(_ log: EpisodeLog) -> HTML {
        group {
            if log.events.isEmpty {
                WebParts.emptyState("Nothing happened in this episode.")
            } else {
                el("div", .cls("table-wrap events")) {
                    el("table", .id("events")) {
                        el("thead") {
                            el("tr") {
                                el("th", Attribute("scope", "col"), .cls("num")) { "Time" }
                                el("th", Attribute("scope", "col")) { "Event" }
                                el("th", Attribute("scope", "col")) { "Details" }
                                el("th", Attribute("scope", "col")) { "Where" }
                            }
                        }
                        el("tbody") {
                            for event in log.events.prefix(500) {
                                el("tr", .cls("event-\(event.type.rawValue)")) {
                                    el("td", .cls("num")) { WebFormat.number(event.timestamp, digits: 1) + " s" }
                                    el("td") { event.type.rawValue.replacingOccurrences(of: "_", with: " ") }
                                    el("td") { Self.describe(event.detail) }
                                    el("td", .cls("muted small")) { "(\(Int(event.x)), \(Int(event.y)))" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func files() -> HTML {
        let screenshots = artifacts.filter { $0.kind == "screenshot" }
        let demos = artifacts.filter { $0.kind == "demo" }
        return el("section", Attribute("aria-labelledby", "files-title")) {
            el("h2", .id("files-title")) { "Screenshots and demos" }
            if artifacts.isEmpty {
                WebParts.emptyState("No screenshots or demos yet.")
            }
            if !screenshots.isEmpty {
                el("ul", .cls("shots"), .id("screenshots")) {
                    for shot in screenshots {
                        let caption = "Episode \(shot.episode), tic \(shot.tic): \(shot.reason)"
                        el("li") {
                            el("a", .href(Self.fileURL(shot)), .data("screenshot", shot.id), .data("caption", caption)) {
                                el("img", Attribute("src", Self.fileURL(shot)), Attribute("alt", caption), Attribute("loading", "lazy"),
                                   Attribute("width", "160"), Attribute("height", "120"))
                            }
                        }
                    }
                }
            }
            if !demos.isEmpty {
                el("ul", .id("demos")) {
                    for demo in demos {
                        el("li") {
                            el("a", .href(Self.fileURL(demo)), Attribute("download", "")) { "Demo of episode \(demo.episode)" }
                            " "
                            el("span", .cls("muted small")) { WebFormat.bytes(demo.bytes) }
                        }
                    }
                }
            }
        }
    }

    /// The health timeline holds changes only; the chart runs from the start to the end of the episode.
    static func healthPoints(_ log: EpisodeLog) -> [(x: Double, y: Double)] {
        var points = log.healthTimeline.map { (x: $0.timestamp, y: Double($0.health)) }
        if let first = points.first, first.x > 0 { points.insert((0, first.y), at: 0) }
        if let last = points.last, last.x < log.durationSeconds { points.append((log.durationSeconds, last.y)) }
        return points
    }

    static func fileURL(_ artifact: ArtifactView) -> String { artifact.url }

    static func describe(_ detail: TelemetryEventDetail) -> String {
        switch detail {
        case .kill(let count, let health, let ammo): "kill #\(count) (health \(health), ammo \(ammo))"
        case .death(let health, _): "the agent died (health \(health))"
        case .healthLost(let before, let after, let damage): "−\(damage) health (\(before) → \(after))"
        case .ammoLost(let weapon, let before, let after, let amount): "\(amount) ammo, weapon \(weapon) (\(before) → \(after))"
        case .healthPickup(let before, let after, let amount): "+\(amount) health (\(before) → \(after))"
        case .armorPickup(let before, let after, let amount): "+\(amount) armor (\(before) → \(after))"
        case .ammoPickup(let weapon, let before, let after, let amount): "+\(amount) ammo, weapon \(weapon) (\(before) → \(after))"
        case .weaponPickup(let weapon): "picked up weapon \(weapon)"
        case .itemPickup(let count): "item #\(count)"
        case .secretFound(let count): "secret #\(count)"
        case .exitReached: "reached the exit"
        case .stuck(let tics, let radius): "stuck for \(WebFormat.number(Double(tics) / 35, digits: 1)) s within \(Int(radius)) units"
        case .outOfBounds: "outside the map"
        }
    }
}
