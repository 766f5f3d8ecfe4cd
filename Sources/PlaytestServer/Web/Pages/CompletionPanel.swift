import PlaytestCore
import PlaytestServices

/// "Can the map be finished?" on a test run's page: the run's verdict in one sentence, the proof (the demo and its
/// replay check) or where and why the agent stopped, and the planner's static answer with a link to the route.
struct CompletionPanel {
    var completion: RunCompletion
    var mapPage: String

    func html() -> HTML {
        el("section", .cls("completion verdict-\(completion.verdict.rawValue)"), .id("completion"),
           Attribute("aria-labelledby", "completion-title")) {
            el("h2", .id("completion-title")) {
                "Can it be finished? "
                el("span", .cls("badge verdict-badge"), .data("verdict", completion.verdict.rawValue)) { Self.word(completion.verdict) }
            }
            el("p", .cls("verdict-summary")) { completion.summary }
            WebParts.stats(facts(), id: "completion-facts")
            if let demo = completion.proof?.demoURL {
                el("p") { el("a", .cls("button secondary"), .href(demo), Attribute("download", "")) { "Download the proof demo (.lmp)" } }
            }
        }
    }

    private func facts() -> [(String, String)] {
        var facts: [(String, String)] = [("Episodes at the exit", "\(completion.exits) of \(completion.episodes)")]
        if let proof = completion.proof {
            facts.append(("Time to exit", WebFormat.seconds(proof.timeSeconds)))
            facts.append(("Replay check", proof.replay.map { $0.verified ? "reaches the exit on tic \($0.exitTic)" : ($0.drift ?? "differs") }
                          ?? (proof.note ?? "not run")))
        }
        if let failure = completion.failure {
            facts.append(("Ended by", failure.reason.rawValue))
            if let place = failure.place { facts.append(("Where", "(\(Int(place.x.rounded())), \(Int(place.y.rounded())))")) }
            if let goal = failure.goal {
                facts.append(("Last goal", "step \(goal.step + 1) · \(goal.kind.rawValue) · \(goal.state.rawValue)"))
            }
            if let step = failure.step { facts.append(("That step", step)) }
        }
        if let planner = completion.planner {
            facts.append(("Planner (skill \(planner.skill))", "\(planner.verdict.rawValue)" + (planner.steps > 0 ? ", \(planner.steps) steps" : "")))
            if planner.verdict != .completable { facts.append(("Why", planner.reason)) }
        }
        return facts
    }

    static func word(_ verdict: RunCompletion.Verdict) -> String {
        switch verdict {
        case .completed: "finished"
        case .blocked: "blocked"
        case .notCompleted: "not finished"
        case .pending: "pending"
        }
    }
}
