import Foundation
import PlaytestCore
import PlaytestStorage

/// The verdict of a test run on its map (`completion` in the results, the run page and the map page): can the map
/// be finished, and the evidence. The agent's proof wins over the planner: an episode that left by the exit, whose
/// demo replays to the exit on the same tic, makes the map `completed` whatever the planner said.
public struct RunCompletion: Encodable, Sendable, Hashable {
    public enum Verdict: String, Encodable, Sendable, Hashable {
        /// An episode reached the exit; `proof` is its demo and the replay check.
        case completed
        /// The planner proved the exit unreachable (`planner.blocker` is the place and the lock) and no episode
        /// reached it.
        case blocked
        /// Episodes finished without reaching the exit; `failure` says where and why the last one stopped.
        case notCompleted = "not_completed"
        /// No episode has finished yet.
        case pending
    }

    /// The demo of the first episode that reached the exit, and whether replaying it reaches the exit again.
    public struct Proof: Encodable, Sendable, Hashable {
        public var episode: Int
        /// Game seconds to the exit.
        public var timeSeconds: Double
        /// The demo's download link; nil when the run did not record demos.
        public var demoURL: String?
        /// The replay check as the agent ran it; nil when it did not run (no demo, or the run was stopped).
        public var replay: DemoReplayCheck?
        /// True when the replay left by the exit on the recorded tic.
        public var verified: Bool
        /// What a reader must know about the proof (no demo, the replay drifted).
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case episode, replay, verified, note
            case timeSeconds = "time_seconds"
            case demoURL = "demo_url"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(episode, forKey: .episode)
            try c.encode(timeSeconds, forKey: .timeSeconds)
            try c.encode(demoURL, forKey: .demoURL)
            try c.encode(replay, forKey: .replay)
            try c.encode(verified, forKey: .verified)
            try c.encode(note, forKey: .note)
        }
    }

    /// Where the last finished episode stopped short of the exit, and why.
    public struct Failure: Encodable, Sendable, Hashable {
        public enum Reason: String, Encodable, Sendable, Hashable {
            case death, timeout, stuck, stopped
        }

        public var episode: Int
        public var reason: Reason
        /// Where the player was at the end.
        public var place: MapPoint?
        /// The navigator's goal at the end (the plan step, what it was doing); nil for other agents.
        public var goal: NavigatorGoal?
        /// The plan step's sentence, when the goal names a step of the stored route.
        public var step: String?

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(episode, forKey: .episode)
            try c.encode(reason, forKey: .reason)
            try c.encode(place, forKey: .place)
            try c.encode(goal, forKey: .goal)
            try c.encode(step, forKey: .step)
        }

        enum CodingKeys: String, CodingKey { case episode, reason, place, goal, step }
    }

    /// The static verdict behind the run: the planner's answer for the map at the run's skill.
    public struct Planner: Encodable, Sendable, Hashable {
        public var verdict: ProgressionPlan.Verdict
        public var reason: String
        public var skill: Int
        public var steps: Int
        public var blocker: ProgressionPlan.Blocker?
        /// The map's progression (route, waypoints) in full.
        public var url: String

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(reason, forKey: .reason)
            try c.encode(skill, forKey: .skill)
            try c.encode(steps, forKey: .steps)
            try c.encode(blocker, forKey: .blocker)
            try c.encode(url, forKey: .url)
        }

        enum CodingKeys: String, CodingKey { case verdict, reason, skill, steps, blocker, url }
    }

    public var verdict: Verdict
    /// One sentence for a designer.
    public var summary: String
    /// Finished episodes that reached the exit / finished episodes.
    public var exits: Int
    public var episodes: Int
    public var proof: Proof?
    public var failure: Failure?
    /// nil when the map was not planned (a VizDoom scenario, or a run from before the planner).
    public var planner: Planner?

    enum CodingKeys: String, CodingKey { case verdict, summary, exits, episodes, proof, failure, planner }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(summary, forKey: .summary)
        try c.encode(exits, forKey: .exits)
        try c.encode(episodes, forKey: .episodes)
        try c.encode(proof, forKey: .proof)
        try c.encode(failure, forKey: .failure)
        try c.encode(planner, forKey: .planner)
    }

    /// The verdict from a run's finished episodes (in order), its demos and the stored plan.
    public init(episodes: [EpisodeMetrics], artifacts: [ArtifactInfo], plan: ProgressionPlan?, progressionURL: String?, stopped: Bool) {
        self.episodes = episodes.count
        exits = episodes.count { $0.exitReached }
        planner = plan.map {
            Planner(verdict: $0.verdict, reason: $0.reason, skill: $0.skill, steps: $0.steps.count, blocker: $0.blocker, url: progressionURL ?? "")
        }
        if let exit = episodes.first(where: \.exitReached) {
            verdict = .completed
            let demo = artifacts.first { $0.kind == ArtifactKind.demo.rawValue && $0.episode == exit.episodeNum }
            let verified = demo?.replay?.verified ?? false
            var note: String?
            if demo == nil {
                note = "the run recorded no demo of this episode, so the exit is not replay-verified"
            } else if let replay = demo?.replay, !replay.verified {
                note = "VizDoom's replay of the demo differs from the recording: \(replay.drift ?? "it did not reach the exit on the same tic")"
            } else if demo?.replay == nil {
                note = "the demo was not replay-checked"
            }
            proof = Proof(episode: exit.episodeNum, timeSeconds: exit.durationSeconds, demoURL: demo.map { "/api/v1/artifacts/\($0.id)/file" },
                          replay: demo?.replay, verified: verified, note: note)
            failure = nil
            let check = verified ? "its demo replays to the exit on the same tic" : (note ?? "")
            summary = "Finished: episode \(exit.episodeNum) reached the exit after \(Self.clock(exit.durationSeconds)) of game time; \(check)."
            if plan?.verdict == .blocked { summary += " The planner had called the map blocked: its model is wrong here." }
            return
        }
        proof = nil
        if let last = episodes.last {
            let reason: Failure.Reason
            if last.deaths > 0 || last.endReason == .death {
                reason = .death
            } else if last.endReason == .stopped || (stopped && last.endReason == nil) {
                reason = .stopped
            } else if last.goal?.state == .unsticking || Self.endedStuck(last) {
                reason = .stuck
            } else {
                reason = .timeout
            }
            let step = last.goal.flatMap { goal in plan?.steps.indices.contains(goal.step) == true ? plan?.steps[goal.step].note : nil }
            failure = Failure(episode: last.episodeNum, reason: reason, place: last.finalPosition, goal: last.goal, step: step)
        } else {
            failure = nil
        }
        if plan?.verdict == .blocked {
            verdict = .blocked
            summary = "Cannot be finished: \(plan?.reason ?? "the planner found no route to the exit")"
        } else if let failure {
            verdict = .notCompleted
            summary = "Not finished in \(episodes.count) episode\(episodes.count == 1 ? "" : "s"): " + Self.describe(failure)
        } else {
            verdict = .pending
            summary = plan.map { "No episode has finished yet. The planner says \($0.verdict.rawValue): \($0.reason)" }
                ?? "No episode has finished yet."
        }
    }

    /// The episode's last stuck event ends within its last 20 seconds.
    static func endedStuck(_ episode: EpisodeMetrics) -> Bool {
        guard let stuck = episode.events.last(where: { $0.type == .stuck }) else { return false }
        return Double(stuck.frame) / AgentProtocol.ticsPerSecond >= episode.durationSeconds - 20
    }

    static func describe(_ failure: Failure) -> String {
        var text: String
        switch failure.reason {
        case .death: text = "episode \(failure.episode) ended in a death"
        case .timeout: text = "episode \(failure.episode) ran out of time"
        case .stuck: text = "episode \(failure.episode) ended stuck"
        case .stopped: text = "episode \(failure.episode) was stopped"
        }
        if let place = failure.place { text += " at (\(Int(place.x.rounded())), \(Int(place.y.rounded())))" }
        if let goal = failure.goal {
            text += ", \(goal.state.rawValue) on step \(goal.step + 1) (\(goal.kind.rawValue))"
            // The step's sentence brings its own full stop.
            if let step = failure.step { text += ": " + (step.hasSuffix(".") ? String(step.dropLast()) : step) }
        }
        return text + "."
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
