import Foundation
import PlaytestCore
@testable import PlaytestServices
import PlaytestStorage
import Testing

@Suite("RunLiveMessage")
struct RunLiveMessageTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000.125)

    static let all: [RunLiveMessage] = [
        .subscribed(runID: "test_1", status: .running),
        .subscribed(runID: "*", status: nil),
        .testingProgress(TestingProgress(testID: "test_1", episode: 2, kills: 5, health: 40, timestamp: at, totalEpisodes: 10,
                                         episodesCompleted: 2, progressPercent: 20, steps: 812)),
        .trainingProgress(TrainingProgress(trainingID: "train_1", iteration: 5000, dqnLoss: 0.031, timestamp: at, maxIterations: 20000,
                                           progressPercent: 25, epsilon: 0.62, meanReward: 3.5, stepsPerSecond: 410.5)),
        .trainingProgress(TrainingProgress(trainingID: "train_1", iteration: 100, dqnLoss: nil, timestamp: at, maxIterations: 20000,
                                           progressPercent: 0.5, epsilon: 1, meanReward: nil, stepsPerSecond: 0)),
        .testingCompleted(TestingCompleted(testID: "test_1", episodesCompleted: 10, totalKills: 31, meanKills: 3.1, timestamp: at)),
        .trainingCompleted(TrainingCompleted(trainingID: "train_1", finalIteration: 20000, finalLoss: 0.02, durationSeconds: 612.5, timestamp: at)),
        .trainingCompleted(TrainingCompleted(trainingID: "train_1", finalIteration: 0, finalLoss: nil, durationSeconds: 1, timestamp: at)),
        .runFailed(runID: "test_1", error: "the agent exited with status 1", timestamp: at),
        .runStopped(runID: "train_1", timestamp: at),
        .runStatus(runID: "test_1", kind: .testing, status: .completed, timestamp: at),
        .agentState(AgentLiveView(
            runID: "test_1", state: ["agent": "navigator", "episode": "2", "position": "10.5,-20", "angle": "90", "health": "80", "ammo": "12"],
            decisions: [AgentDecision(step: 7, action: 3, buttons: ["ATTACK"], confidence: 0.75)], rewards: [0, 1.5, -1],
            milestones: ["first_kill"], progress: nil)),
        .milestone(MilestoneView(MilestoneRecord(
            runID: "test_1", award: MilestoneAward(milestone: .exitReached, episode: 2, tic: 3039, x: 1, y: 2), agent: "navigator",
            mapID: "map", awardedAt: at, screenshotArtifact: "art_1"))),
        .error(message: "unknown run test_x"),
    ]

    @Test("every message survives its JSON", arguments: all)
    func roundTrip(_ message: RunLiveMessage) throws {
        let text = message.json()
        #expect(try RunLiveMessage(json: text) == message)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["type"] as? String == message.type)
    }

    @Test("the wire shape is the one docs/runs.md lists")
    func wireFields() throws {
        let expected: [String: Set<String>] = [
            "subscribed": ["run_id", "status"],
            "testing_progress": ["test_id", "episode", "kills", "health", "timestamp", "total_episodes", "episodes_completed",
                                 "progress_percent", "steps"],
            "training_progress": ["training_id", "iteration", "dqn_loss", "timestamp", "max_iterations", "progress_percent",
                                  "epsilon", "mean_reward", "steps_per_s"],
            "testing_completed": ["test_id", "episodes_completed", "total_kills", "mean_kills", "timestamp"],
            "training_completed": ["training_id", "final_iteration", "final_loss", "duration_seconds", "timestamp"],
            "run_failed": ["run_id", "error", "timestamp"],
            "run_stopped": ["run_id", "timestamp"],
            "run_status": ["run_id", "kind", "status", "timestamp"],
            "agent_state": ["run_id", "agent", "episode", "x", "y", "angle", "health", "ammo", "decisions", "rewards", "milestones",
                            "confidence"],
            "milestone": ["run_id", "milestone", "title", "badge", "agent", "episode", "tic", "x", "y", "awarded_at", "screenshot_url"],
            "error": ["message"],
        ]
        for message in Self.all {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(message.json().utf8)) as? [String: Any])
            #expect(Set(object.keys) == (expected[message.type] ?? []).union(["type"]), "\(message.type)")
            if let timestamp = object["timestamp"] {
                #expect(timestamp as? String == "2026-09-21T14:13:20.125Z")
            }
        }
    }

    @Test("runID and isProgress")
    func accessors() {
        #expect(Self.all.map(\.runID) == ["test_1", "*", "test_1", "train_1", "train_1", "test_1", "train_1", "train_1", "test_1", "train_1", "test_1", "test_1", "test_1", nil])
        #expect(Self.all.filter(\.isProgress).count == 3)
    }

    @Test("text that is not a live message is refused", arguments: [
        "", "{}", "[1]", #"{"type":"launch_missiles"}"#, #"{"type":"run_stopped","run_id":"x"}"#,
        #"{"type":"run_stopped","run_id":"x","timestamp":"yesterday"}"#,
    ])
    func refusesBadText(_ text: String) {
        #expect(throws: RunLiveMessageError.self) { try RunLiveMessage(json: text) }
    }
}
