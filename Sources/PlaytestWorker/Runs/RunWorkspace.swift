import Foundation
import PlaytestStorage

/// The temporary folder one attempt of a run plays in: the map's WAD fetched from the blob store,
/// the checkpoint it plays or resumes from, the agent's config (`run.json`), and the folders the agent
/// writes screenshots, demos and checkpoints to. ``remove()`` deletes it all.
public struct RunWorkspace: Sendable {
    public let directory: String
    public let configPath: String
    public let wadPath: String
    public let screenshotDirectory: String
    public let demoDirectory: String
    public let checkpointDirectory: String

    /// What the agent is asked to do in this attempt.
    public enum Assignment: Sendable, Equatable {
        /// Play `episodes` episodes (the ones a rescued run has left).
        case evaluate(episodes: Int)
        /// Train `iterations` more iterations, from `resumeFrom` (a local checkpoint file) when given.
        case train(iterations: Int, resumeFrom: String?)
    }

    /// Creates the folder and fetches the WAD. `checkpoint` is where the plan's checkpoint comes from.
    public static func prepare(
        runID: String, plan: RunPlan, map: MapRecord, blobs: any BlobStore, parent: String? = nil
    ) async throws -> RunWorkspace {
        // Short on purpose: VizDoom 1.3.2's engine hangs at start-up when a file path it is given
        // (the WAD, the demo) runs past about 100 characters.
        let base = parent ?? "/tmp"
        let directory = base + "/pt-" + UUID().uuidString.prefix(8).lowercased()
        guard directory.utf8.count <= maxDirectoryLength else { throw RunWorkspaceError.pathTooLong(directory) }
        let workspace = RunWorkspace(directory: directory)
        do {
            for folder in [workspace.screenshotDirectory, workspace.demoDirectory, workspace.checkpointDirectory] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            _ = try await blobs.download(map.blobKey, toFile: workspace.wadPath)
        } catch {
            workspace.remove()
            throw RunWorkspaceError.wadUnavailable(map: map.name, key: map.blobKey, detail: String(describing: error))
        }
        return workspace
    }

    /// Longest workspace folder: its files' paths stay under VizDoom's limit.
    public static let maxDirectoryLength = 60

    private init(directory: String) {
        self.directory = directory
        self.configPath = directory + "/run.json"
        self.wadPath = directory + "/map.wad"
        self.screenshotDirectory = directory + "/shots"
        self.demoDirectory = directory + "/demos"
        self.checkpointDirectory = directory + "/checkpoints"
    }

    /// Fetches a stored checkpoint (`ckpt_…`) into the workspace and returns its path.
    public func fetchCheckpoint(blobKey: String, blobs: any BlobStore) async throws -> String {
        let path = directory + "/input-" + ((blobKey as NSString).lastPathComponent)
        do {
            _ = try await blobs.download(blobKey, toFile: path)
        } catch {
            throw RunWorkspaceError.checkpointUnavailable(key: blobKey, detail: String(describing: error))
        }
        return path
    }

    /// Writes `run.json` for the assignment.
    public func writeConfig(plan: RunPlan, map: MapRecord, assignment: Assignment, checkpoint: String?) throws {
        let config = AgentConfig.make(plan: plan, map: map, workspace: self, assignment: assignment, checkpoint: checkpoint)
        let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: configPath), options: .atomic)
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Building the agent's `run.json` (docs/agent-protocol.md, "Config") from a run's plan and map.
enum AgentConfig {
    static func make(plan: RunPlan, map: MapRecord, workspace: RunWorkspace, assignment: RunWorkspace.Assignment, checkpoint: String?) -> [String: Any] {
        var config: [String: Any] = ["map": plan.mapName]
        if let seed = plan.seed { config["seed"] = seed }
        if let scenario = plan.scenario {
            // A built-in scenario map: the scenario's cfg (buttons, rewards, timeout) with the fetched WAD.
            config["scenario_cfg"] = scenario.hasSuffix(".cfg") ? String(scenario.dropLast(4)) : scenario
            config["pwads"] = [workspace.wadPath]
        } else if map.wadKind.uppercased() == "IWAD" {
            config["wad"] = workspace.wadPath
        } else {
            // A PWAD plays on top of the bundled freedoom2 IWAD (the agent's default `wad`).
            config["pwads"] = [workspace.wadPath]
        }
        var env: [String: Any] = ["skill": plan.skill]
        if let timeout = plan.episodeTimeoutTics { env["episode_timeout"] = timeout }
        if let frameSkip = plan.frameSkip { env["frame_skip"] = frameSkip }
        if let resolution = plan.resolution { env["resolution"] = resolution }
        switch assignment {
        case .evaluate(let episodes):
            config["agent"] = plan.agent
            config["episodes"] = max(1, episodes)
            config["telemetry_every"] = plan.telemetryEvery
            config["screenshot_dir"] = workspace.screenshotDirectory
            config["screenshot_tics"] = plan.screenshotTics
            config["screenshot_on"] = plan.screenshots ? ["death", "stuck"] : []
            config["record_demos"] = plan.recordDemos
            config["demo_dir"] = workspace.demoDirectory
            if plan.agent == "dqn" {
                if let checkpoint { config["checkpoint"] = checkpoint }
                // A checkpoint brings its own action set; naming it again must match exactly.
            } else if let combinations = plan.actionCombinations {
                env["action_combinations"] = combinations
            }
        case .train(let iterations, let resumeFrom):
            config["agent"] = "dqn"
            config["iterations"] = max(1, iterations)
            config["checkpoint_dir"] = workspace.checkpointDirectory
            config["checkpoint_every"] = plan.checkpointEvery
            config["progress_every"] = plan.progressEvery
            if let resumeFrom { config["resume_from"] = resumeFrom }
            if let combinations = plan.actionCombinations, resumeFrom == nil { env["action_combinations"] = combinations }
            if !plan.dqn.isEmpty { config["dqn"] = plan.dqn.mapValues(\.jsonObject) }
        }
        config["env"] = env
        return config
    }
}

extension PlanValue {
    /// The value as JSONSerialization takes it.
    var jsonObject: Any {
        switch self {
        case .int(let value): value
        case .double(let value): value
        case .bool(let value): value
        case .string(let value): value
        case .ints(let value): value
        case .strings(let value): value
        }
    }
}

public enum RunWorkspaceError: Error, Equatable, CustomStringConvertible {
    case wadUnavailable(map: String, key: String, detail: String)
    case checkpointUnavailable(key: String, detail: String)
    case checkpointNotFound(String)
    case pathTooLong(String)

    public var description: String {
        switch self {
        case .wadUnavailable(let map, let key, let detail):
            "the WAD of map \(map.debugDescription) could not be fetched from the blob store (\(key)): \(detail)"
        case .checkpointUnavailable(let key, let detail):
            "the checkpoint could not be fetched from the blob store (\(key)): \(detail)"
        case .pathTooLong(let path):
            "the workspace folder \(path) is longer than \(RunWorkspace.maxDirectoryLength) characters; VizDoom cannot open files that deep (choose a shorter temporary folder)"
        case .checkpointNotFound(let reference):
            "no checkpoint \(reference.debugDescription): neither a stored checkpoint id nor a shipped one"
        }
    }
}
