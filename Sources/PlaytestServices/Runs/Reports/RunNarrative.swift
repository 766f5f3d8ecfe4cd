import Foundation
import PlaytestCore
import PlaytestStorage

/// A test run told in words, by rules, always (`GET /api/v1/testing/{id}/summary`, the run page's summary): what
/// happened, the completion verdict, where agents die and get stuck, the top findings, and whether its videos exist.
/// Every sentence comes from the run's stored figures; nothing is guessed.
public struct RunNarrative: Encodable, Sendable {
    /// A place several episodes ended up at (deaths or stuck spots within 64 units of each other).
    public struct Spot: Encodable, Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var count: Int
        public var episodes: [Int]
    }

    public struct TopFinding: Encodable, Sendable, Hashable {
        public var id: String
        public var kind: String
        public var severity: String
        public var message: String
        /// Sightings in this run.
        public var sightings: Int
        public var url: String
    }

    /// The optional LLM's summary of the run (`LLM_BASE_URL`): its answer, or why there is none.
    public struct Prose: Encodable, Sendable, Hashable {
        public var model: String
        public var answer: String?
        public var error: String?
        public var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case model, answer, error
            case createdAt = "created_at"
        }
    }

    public var testID: String
    /// One sentence: who played what and how it went.
    public var headline: String
    /// The sentences under the headline, in reading order.
    public var lines: [String]
    public var deaths: [Spot]
    public var stuck: [Spot]
    public var topFindings: [TopFinding]
    public var prose: Prose?

    enum CodingKeys: String, CodingKey {
        case headline, lines, deaths, stuck, prose
        case testID = "test_id"
        case topFindings = "top_findings"
    }

    /// Spots and findings listed at most.
    static let listed = 3
    static let findingsListed = 5

    init(results: TestResults, skill: Int?, godMode: Bool, sightings: [(finding: FindingRecord, sighting: FindingSighting)],
         evidence: RunEvidenceList?, prose: RunProse?) {
        testID = results.testID
        self.prose = prose.map { Prose(model: $0.model, answer: $0.answer, error: $0.error, createdAt: $0.createdAt) }
        let episodes = results.episodes
        let a = results.aggregateMetrics
        let n = episodes.count
        let played = "The \(results.agent) agent played \(Self.count(n, "episode")) of \(results.map)" + (skill.map { " at skill \($0)" } ?? "")
            + (godMode ? " in god mode" : "")
        headline = n == 0 ? "The \(results.agent) agent has not finished an episode of \(results.map) yet." :
            "\(played) and reached the exit in \(episodes.count { $0.exitReached }) of them."
        deaths = Self.spots(episodes.map { ($0.episodeNum, $0.events.filter { $0.type == .death }) })
        stuck = Self.spots(episodes.map { ($0.episodeNum, $0.events.filter { $0.type == .stuck }) })
        topFindings = Self.top(sightings)

        var lines: [String] = []
        if let completion = results.completion { lines.append(completion.summary) }
        if n > 0 {
            var fight = "Kills per episode: \(Self.number(a.meanKills)) on average (\(a.minKills)–\(a.maxKills))."
            fight += a.totalDeaths == 0 ? " No episode ended in death." :
                " Died in \(a.totalDeaths) of \(n) episodes; \(Self.number(a.meanHealthLost)) health lost on average."
            lines.append(fight)
            if let coverage = a.coverage { lines.append("The agents saw \(Int((coverage * 100).rounded()))% of the map on average.") }
            if let hardness = results.hardness {
                lines.append("Hardness \(Self.number(hardness.score)) of 100 (\(hardness.band.rawValue)).")
            } else if godMode {
                lines.append("No hardness: in god mode nothing the monsters do counts.")
            }
        }
        if let spot = deaths.first {
            lines.append("Where agents die: " + deaths.map(Self.describe).joined(separator: "; ") + (spot.count > 1 ? " (a death hotspot)." : "."))
        }
        if !stuck.isEmpty { lines.append("Where agents get stuck: " + stuck.map(Self.describe).joined(separator: "; ") + ".") }
        if topFindings.isEmpty {
            if n > 0 { lines.append("Play raised no finding.") }
        } else {
            let counts = Dictionary(grouping: topFindings, by: \.severity).mapValues(\.count)
            lines.append("Findings seen in play: " + FindingSeverity.allCases.compactMap { severity in
                counts[severity.rawValue].map { "\($0) \(severity.rawValue)" } } .joined(separator: ", ") + "; the first: \(topFindings[0].message)")
        }
        if let evidence, evidence.requested {
            let made = evidence.episodes.count { $0.state == "made" }
            let pending = evidence.episodes.count { $0.state == "pending" }
            let missing = evidence.episodes.filter { $0.state == "missing" }
            var sentence = "Colour videos: \(made) of \(evidence.episodes.count) episodes"
            if pending > 0 { sentence += ", \(pending) being made" }
            if let first = missing.first { sentence += ", \(missing.count) missing (episode \(first.episode): \(first.reason ?? "unknown"))" }
            lines.append(sentence + ".")
        }
        self.lines = lines
    }

    /// The places that recur, most first: each event joins the spot within ``FindingClusters/radius`` of it.
    static func spots(_ byEpisode: [(episode: Int, events: [TelemetryEvent])]) -> [Spot] {
        var spots: [Spot] = []
        for (episode, events) in byEpisode {
            for event in events {
                if let index = FindingClusters.match(spots.indices.map { (id: $0, x: spots[$0].x, y: spots[$0].y) }, x: event.x, y: event.y) {
                    spots[index].count += 1
                    if !spots[index].episodes.contains(episode) { spots[index].episodes.append(episode) }
                } else {
                    spots.append(Spot(x: event.x, y: event.y, count: 1, episodes: [episode]))
                }
            }
        }
        return Array(spots.sorted { $0.count > $1.count }.prefix(listed))
    }

    static func top(_ sightings: [(finding: FindingRecord, sighting: FindingSighting)]) -> [TopFinding] {
        var byID: [String: TopFinding] = [:]
        for (finding, _) in sightings {
            byID[finding.id, default: TopFinding(id: finding.id, kind: finding.kind, severity: finding.severity.rawValue,
                                                 message: finding.message, sightings: 0, url: "/bugs/\(finding.id)")].sightings += 1
        }
        return Array(byID.values.sorted {
            let left = FindingSeverity(rawValue: $0.severity) ?? .info, right = FindingSeverity(rawValue: $1.severity) ?? .info
            return (left, -$0.sightings, $0.id) < (right, -$1.sightings, $1.id)
        }.prefix(findingsListed))
    }

    static func describe(_ spot: Spot) -> String {
        "(\(Int(spot.x.rounded())), \(Int(spot.y.rounded()))) \(spot.count)× in " + (spot.episodes.count == 1 ? "episode " : "episodes ")
            + spot.episodes.sorted().map(String.init).joined(separator: ", ")
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
