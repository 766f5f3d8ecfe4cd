import Foundation
import PlaytestCore

/// The WebSocket messages of docs/runs.md. `json()` gives the wire text (`{"type": …, fields…}`, in the one JSON
/// convention, `PlaytestJSON`); `init(json:)` parses it back.
public enum RunLiveMessage: Sendable, Hashable {
    /// The answer to a subscription: the run's status, or nil for the every-run subscription (`*`).
    case subscribed(runID: String, status: RunStatus?)
    case testingProgress(TestingProgress)
    case trainingProgress(TrainingProgress)
    case testingCompleted(TestingCompleted)
    case trainingCompleted(TrainingCompleted)
    case runFailed(runID: String, error: String, timestamp: Date)
    case runStopped(runID: String, timestamp: Date)
    case runStatus(runID: String, kind: RunKind, status: RunStatus, timestamp: Date)
    /// The playing agent's position, decisions, rewards and milestones (docs/live-state.md).
    case agentState(AgentLiveView)
    /// A milestone the agent just earned.
    case milestone(MilestoneView)
    case error(message: String)

    /// The wire `type`.
    public var type: String {
        switch self {
        case .subscribed: "subscribed"
        case .testingProgress: "testing_progress"
        case .trainingProgress: "training_progress"
        case .testingCompleted: "testing_completed"
        case .trainingCompleted: "training_completed"
        case .runFailed: "run_failed"
        case .runStopped: "run_stopped"
        case .runStatus: "run_status"
        case .agentState: "agent_state"
        case .milestone: "milestone"
        case .error: "error"
        }
    }

    /// The run the message is about; nil for `error`.
    public var runID: String? {
        switch self {
        case .subscribed(let runID, _), .runFailed(let runID, _, _), .runStopped(let runID, _), .runStatus(let runID, _, _, _): runID
        case .testingProgress(let progress): progress.testID
        case .trainingProgress(let progress): progress.trainingID
        case .testingCompleted(let completed): completed.testID
        case .trainingCompleted(let completed): completed.trainingID
        case .agentState(let view): view.runID
        case .milestone(let view): view.runID
        case .error: nil
        }
    }

    /// testing_progress / training_progress (the hub throttles these).
    public var isProgress: Bool {
        switch self {
        case .testingProgress, .trainingProgress: true
        default: false
        }
    }

    public func json() -> String {
        do {
            return try PlaytestJSON.string(Envelope(message: self))
        } catch {
            // Only a non-finite number can fail to encode; say so rather than send nothing.
            return #"{"message":"a live message could not be encoded","type":"error"}"#
        }
    }

    public init(json: String) throws {
        let decoder = PlaytestJSON.decoder()
        let data = Data(json.utf8)
        do {
            let type = try decoder.decode(TypeField.self, from: data).type
            switch type {
            case "subscribed":
                let m = try decoder.decode(Subscribed.self, from: data)
                self = .subscribed(runID: m.runID, status: m.status)
            case "testing_progress": self = .testingProgress(try decoder.decode(TestingProgress.self, from: data))
            case "training_progress": self = .trainingProgress(try decoder.decode(TrainingProgress.self, from: data))
            case "testing_completed": self = .testingCompleted(try decoder.decode(TestingCompleted.self, from: data))
            case "training_completed": self = .trainingCompleted(try decoder.decode(TrainingCompleted.self, from: data))
            case "run_failed":
                let m = try decoder.decode(RunFailed.self, from: data)
                self = .runFailed(runID: m.runID, error: m.error, timestamp: m.timestamp)
            case "run_stopped":
                let m = try decoder.decode(RunStopped.self, from: data)
                self = .runStopped(runID: m.runID, timestamp: m.timestamp)
            case "run_status":
                let m = try decoder.decode(RunStatusNotice.self, from: data)
                self = .runStatus(runID: m.runID, kind: m.kind, status: m.status, timestamp: m.timestamp)
            case "agent_state": self = .agentState(try decoder.decode(AgentLiveView.self, from: data))
            case "milestone": self = .milestone(try decoder.decode(MilestoneView.self, from: data))
            case "error": self = .error(message: try decoder.decode(ErrorMessage.self, from: data).message)
            default: throw RunLiveMessageError(message: "unknown live message type \"\(type)\"")
            }
        } catch let error as RunLiveMessageError {
            throw error
        } catch {
            throw RunLiveMessageError(message: "not a live message: \(error)")
        }
    }

    /// The message's fields next to its `type`.
    private struct Envelope: Encodable {
        let message: RunLiveMessage

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TypeField.CodingKeys.self)
            try container.encode(message.type, forKey: .type)
            switch message {
            case .subscribed(let runID, let status): try Subscribed(runID: runID, status: status).encode(to: encoder)
            case .testingProgress(let m): try m.encode(to: encoder)
            case .trainingProgress(let m): try m.encode(to: encoder)
            case .testingCompleted(let m): try m.encode(to: encoder)
            case .trainingCompleted(let m): try m.encode(to: encoder)
            case .runFailed(let runID, let error, let timestamp):
                try RunFailed(runID: runID, error: error, timestamp: timestamp).encode(to: encoder)
            case .runStopped(let runID, let timestamp): try RunStopped(runID: runID, timestamp: timestamp).encode(to: encoder)
            case .runStatus(let runID, let kind, let status, let timestamp):
                try RunStatusNotice(runID: runID, kind: kind, status: status, timestamp: timestamp).encode(to: encoder)
            case .agentState(let view): try view.encode(to: encoder)
            case .milestone(let view): try view.encode(to: encoder)
            case .error(let message): try ErrorMessage(message: message).encode(to: encoder)
            }
        }
    }

    private struct TypeField: Codable {
        let type: String
        enum CodingKeys: String, CodingKey { case type }
    }

    private struct Subscribed: Codable {
        let runID: String
        let status: RunStatus?
        enum CodingKeys: String, CodingKey { case runID = "run_id", status }

        init(runID: String, status: RunStatus?) {
            self.runID = runID
            self.status = status
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(runID, forKey: .runID)
            try c.encode(status, forKey: .status)
        }
    }

    private struct RunFailed: Codable {
        let runID: String
        let error: String
        let timestamp: Date
        enum CodingKeys: String, CodingKey { case runID = "run_id", error, timestamp }
    }

    private struct RunStopped: Codable {
        let runID: String
        let timestamp: Date
        enum CodingKeys: String, CodingKey { case runID = "run_id", timestamp }
    }

    private struct RunStatusNotice: Codable {
        let runID: String
        let kind: RunKind
        let status: RunStatus
        let timestamp: Date
        enum CodingKeys: String, CodingKey { case runID = "run_id", kind, status, timestamp }
    }

    private struct ErrorMessage: Codable {
        let message: String
    }
}

/// A text that is not one of the live messages.
public struct RunLiveMessageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
