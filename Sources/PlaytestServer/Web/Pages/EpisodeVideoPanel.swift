import Foundation
import PlaytestServices

/// The chosen episode's evidence on a test run's page: its colour video with the events and findings as marks on a
/// timeline under it (clicking one seeks there and rings the place on the map, `/app.js`), and its colour screenshots.
/// Says so when the evidence is still being made, was not asked for, or is missing and why.
struct EpisodeVideoPanel {
    var evidence: EpisodeEvidenceView?
    var requested: Bool
    var durationSeconds: Double
    /// Where the video starts (`?t=` on the page: a finding's "watch the moment").
    var startAt: Double?

    func html() -> HTML {
        el("section", .id("episode-video-panel"), Attribute("aria-labelledby", "video-title")) {
            el("h2", .id("video-title")) { "Episode video" + (evidence.map { " (episode \($0.episode))" } ?? "") }
            if let evidence {
                switch evidence.state {
                case "made": made(evidence)
                case "missing": WebParts.emptyState("No video for this episode: \(evidence.reason ?? "the replay failed").")
                default: WebParts.emptyState(requested
                    ? "The video and colour screenshots are being made from the episode's demo; reload in a minute."
                    : "This run was started without evidence (params.evidence false or record_demos false).")
                }
            } else {
                WebParts.emptyState("The video appears when an episode has finished.")
            }
        }
    }

    private func made(_ evidence: EpisodeEvidenceView) -> HTML {
        group {
            if let video = evidence.video {
                el("video", .id("episode-video"), Attribute("controls", ""), Attribute("preload", "metadata"), Attribute("width", "640"),
                   Attribute("height", "480"), Attribute("src", video.url + (startAt.map { String(format: "#t=%.1f", $0) } ?? ""))) {
                    el("a", .href(video.url)) { "Download the video" }
                }
                timeline(evidence)
            } else if let reason = evidence.reason {
                WebParts.emptyState("No video for this episode: \(reason).")
            }
            if let drift = evidence.driftTic {
                el("p", .cls("muted small"), .id("evidence-drift")) {
                    "The replay left the recorded path at \(WebFormat.seconds(Double(drift) / 35)); the video stops at the last moment that agreed."
                }
            }
            if !evidence.frames.isEmpty {
                el("ul", .cls("shots"), .id("frames")) {
                    for frame in evidence.frames {
                        let caption = "Episode \(frame.episode) at \(WebFormat.seconds(Double(frame.tic) / 35)) (tic \(frame.tic))"
                        el("li") {
                            el("a", .href(frame.url), .data("screenshot", frame.id), .data("caption", caption)) {
                                el("img", Attribute("src", frame.url), Attribute("alt", caption), Attribute("loading", "lazy"),
                                   Attribute("width", "160"), Attribute("height", "120"))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The marks along the episode's length, then the same moments as a list (readable without the bar).
    private func timeline(_ evidence: EpisodeEvidenceView) -> HTML {
        let length = max(durationSeconds, evidence.markers.map(\.seconds).max() ?? 0, 1)
        return group {
            el("div", .cls("video-timeline"), .role("group"), .label("Moments in the video")) {
                for marker in evidence.markers {
                    let left = min(100, max(0, marker.seconds / length * 100))
                    seekButton(marker, cls: "mark mark-\(marker.source)", style: "left: \(String(format: "%.2f", left))%") {
                        el("span", .cls("visually-hidden")) { Self.caption(marker) }
                    }
                }
            }
            if !evidence.markers.isEmpty {
                el("ol", .cls("video-markers"), .id("video-markers")) {
                    for marker in evidence.markers {
                        el("li") {
                            seekButton(marker, cls: "seek seek-\(marker.source)", style: nil) { Self.caption(marker) }
                            if let id = marker.findingID { " "; el("a", .href("/bugs/\(id)"), .cls("small")) { "finding" } }
                        }
                    }
                }
            }
        }
    }

    private func seekButton(_ marker: EpisodeEvidenceView.Marker, cls: String, style: String?, @HTMLBuilder content: () -> HTML) -> HTML {
        el("button", .type("button"), .cls(cls), .data("seek", String(format: "%.3f", marker.seconds)), .data("x", String(marker.x)),
           .data("y", String(marker.y)), .title(Self.caption(marker)), Attribute("style", style), content: content)
    }

    static func caption(_ marker: EpisodeEvidenceView.Marker) -> String {
        "\(WebFormat.seconds(marker.seconds)) · \(marker.source == "finding" ? "finding: " : "")\(marker.label)"
    }
}
