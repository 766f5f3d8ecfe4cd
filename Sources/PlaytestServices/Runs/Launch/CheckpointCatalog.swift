import Foundation
import PlaytestCore
import PlaytestStorage

/// A checkpoint a request names, with what the launcher needs to know before any agent starts: its action set.
public struct ResolvedCheckpoint: Sendable, Hashable {
    /// The name (built-in) or id (`ckpt_…`) as the plan stores it.
    public var reference: String
    public var actionCombinations: String?
    public var actionCount: Int?
    /// The engine buttons of its action set, when known.
    public var buttons: [String]?
    public var scenario: String?
    public var iteration: Int?
}

/// Checkpoints a run can use: the ones shipped with the agent runtime (`<agent dir>/checkpoints/<name>.pt`, described
/// by `manifest.json`) and the ones training runs stored (`ckpt_…`).
public struct CheckpointCatalog: Sendable {
    let agentDirectory: String
    let telemetry: TrainingTelemetryStore

    public init(agentDirectory: String, telemetry: TrainingTelemetryStore) {
        self.agentDirectory = agentDirectory
        self.telemetry = telemetry
    }

    struct ManifestEntry: Codable {
        var actionCombinations: String?
        var actionCount: Int?
        var buttons: [String]?
        var scenario: String?
        var iteration: Int?
        enum CodingKeys: String, CodingKey {
            case actionCombinations = "action_combinations"
            case actionCount = "action_count"
            case buttons, scenario, iteration
        }
    }

    /// The shipped checkpoints by name; empty when the manifest is missing or unreadable.
    public func builtin() -> [String: ResolvedCheckpoint] {
        let path = agentDirectory + "/checkpoints/manifest.json"
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? PlaytestJSON.decode([String: ManifestEntry].self, from: data) else { return [:] }
        var result: [String: ResolvedCheckpoint] = [:]
        for (name, entry) in manifest where FileManager.default.fileExists(atPath: builtinPath(name)) {
            result[name] = ResolvedCheckpoint(
                reference: name, actionCombinations: entry.actionCombinations, actionCount: entry.actionCount,
                buttons: entry.buttons, scenario: entry.scenario, iteration: entry.iteration)
        }
        return result
    }

    public func builtinPath(_ name: String) -> String {
        agentDirectory + "/checkpoints/" + name + ".pt"
    }

    /// A stored checkpoint id (`ckpt_…`), or a shipped checkpoint by name. The name may be given the seed's way, as a
    /// path to a `.pth` (`pretrained/defend_the_center.pth`): the shipped checkpoint with the same stem plays.
    public func resolve(_ reference: String) async throws -> ResolvedCheckpoint {
        if reference.hasPrefix("ckpt_") {
            guard let info = try await telemetry.checkpoint(id: reference) else {
                throw RunRequestError(.notFound, code: "checkpoint_not_found", "no stored checkpoint \(reference.debugDescription)")
            }
            return Self.resolved(info)
        }
        let shipped = builtin()
        guard let found = shipped[Self.stem(of: reference)] else {
            let names = shipped.keys.sorted().joined(separator: ", ")
            throw RunRequestError(
                .notFound, code: "checkpoint_not_found",
                "no checkpoint \(reference.debugDescription): use a stored checkpoint id (ckpt_…) or a shipped one: \(names)")
        }
        return found
    }

    /// `pretrained/defend_the_center.pth` → `defend_the_center`: the file name without its folder and extension.
    static func stem(of reference: String) -> String {
        let name = (reference as NSString).lastPathComponent
        for suffix in [".pth", ".pt"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }

    static func resolved(_ info: CheckpointInfo) -> ResolvedCheckpoint {
        let buttons = info.actionCombinations.flatMap { try? ActionCombinations(parsing: $0) }?.buttons
        return ResolvedCheckpoint(
            reference: info.id, actionCombinations: info.actionCombinations, actionCount: info.actionCount,
            buttons: buttons, scenario: info.scenario, iteration: info.iteration)
    }

    /// How a checkpoint's action set must relate to the one requested.
    enum Fit {
        /// Playing it (a test run): its buttons must all be among the requested ones; the network plays its own
        /// actions, which the requested action set allows.
        case plays
        /// Training on from it: the network's outputs are the action set, so it must be exactly the requested one.
        case resumes
    }

    /// Refuses a checkpoint whose action set does not fit the requested one.
    static func requireFit(_ checkpoint: ResolvedCheckpoint, requested: ActionCombinations?, _ fit: Fit) throws(RunRequestError) {
        guard let requested else { return }
        let ownButtons: [String]?
        if let own = checkpoint.actionCombinations, let parsed = try? ActionCombinations(parsing: own) {
            if fit == .resumes, parsed.names != requested.names { throw mismatch(checkpoint, requested, fit) }
            ownButtons = parsed.buttons
        } else {
            ownButtons = checkpoint.buttons
        }
        // An imported file's action set is unknown here: the agent checks it when it loads the file.
        guard let ownButtons else { return }
        let fits = switch fit {
        case .plays: Set(ownButtons).isSubset(of: requested.buttons)
        case .resumes: ownButtons == requested.buttons && checkpoint.actionCount.map { $0 == requested.actionCount } ?? true
        }
        guard fits else { throw mismatch(checkpoint, requested, fit) }
    }

    private static func mismatch(_ checkpoint: ResolvedCheckpoint, _ requested: ActionCombinations, _ fit: Fit) -> RunRequestError {
        let own = checkpoint.actionCombinations ?? checkpoint.buttons?.joined(separator: ", ") ?? "?"
        let rule = fit == .plays
            ? "it cannot play with \(requested) (buttons \(requested.buttons.joined(separator: ", "))), which lacks some of its buttons"
            : "training can only continue with that same action set, not \(requested)"
        return RunRequestError(
            .invalid, code: "checkpoint_mismatch",
            "checkpoint \(checkpoint.reference) was trained with the action set \(own) (\(checkpoint.actionCount.map(String.init) ?? "?") actions); \(rule)")
    }
}
