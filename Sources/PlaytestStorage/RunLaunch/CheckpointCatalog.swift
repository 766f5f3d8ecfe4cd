import Foundation
import PlaytestCore

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
    let telemetry: RunTelemetryStore

    public init(agentDirectory: String, telemetry: RunTelemetryStore) {
        self.agentDirectory = agentDirectory
        self.telemetry = telemetry
    }

    struct ManifestEntry: Decodable {
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
              let manifest = try? JSONDecoder().decode([String: ManifestEntry].self, from: data) else { return [:] }
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

    public func resolve(_ reference: String) async throws -> ResolvedCheckpoint {
        if reference.hasPrefix("ckpt_") {
            guard let info = try await telemetry.checkpoint(id: reference) else {
                throw RunRequestError(.notFound, code: "checkpoint_not_found", "no stored checkpoint \(reference.debugDescription)")
            }
            return Self.resolved(info)
        }
        let shipped = builtin()
        guard let found = shipped[reference] else {
            let names = shipped.keys.sorted().joined(separator: ", ")
            throw RunRequestError(
                .notFound, code: "checkpoint_not_found",
                "no checkpoint \(reference.debugDescription): use a stored checkpoint id (ckpt_…) or a built-in one (\(names))")
        }
        return found
    }

    static func resolved(_ info: CheckpointInfo) -> ResolvedCheckpoint {
        let buttons = info.actionCombinations.flatMap { try? ActionCombinations(parsing: $0) }?.buttons
        return ResolvedCheckpoint(
            reference: info.id, actionCombinations: info.actionCombinations, actionCount: info.actionCount,
            buttons: buttons, scenario: info.scenario, iteration: info.iteration)
    }

    /// Refuses a checkpoint whose network has a different action set from the one requested.
    static func requireFit(_ checkpoint: ResolvedCheckpoint, requested: ActionCombinations?) throws(RunRequestError) {
        guard let requested else { return }
        let fits: Bool
        if let own = checkpoint.actionCombinations, let parsed = try? ActionCombinations(parsing: own) {
            fits = parsed.names == requested.names
        } else if let buttons = checkpoint.buttons, let count = checkpoint.actionCount {
            fits = buttons == requested.buttons && count == requested.actionCount
        } else {
            return  // unknown action set (an imported file): the agent checks it when it loads
        }
        guard fits else {
            let own = checkpoint.actionCombinations ?? checkpoint.buttons?.joined(separator: ", ") ?? "?"
            throw RunRequestError(
                .invalid, code: "checkpoint_mismatch",
                "checkpoint \(checkpoint.reference) was trained with the action set \(own) (\(checkpoint.actionCount.map(String.init) ?? "?") actions); it cannot play \(requested) (\(requested.actionCount) actions)")
        }
    }
}
