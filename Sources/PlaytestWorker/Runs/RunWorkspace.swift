import Foundation
import Logging
import PlaytestCore
import PlaytestServices
import PlaytestStorage

/// The temporary folder one attempt of a run plays in: the map's WAD fetched from the blob store,
/// the checkpoint it plays or resumes from, the agent's config (`run.json`), and the folders the agent
/// writes screenshots, demos and checkpoints to. ``remove()`` deletes it all; the folders of a worker that was killed
/// before it could are removed by the next worker to start (``removeAbandoned(parent:)``).
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

    /// Creates the folder and fetches the WAD, retrying through a blob store outage for `retry`'s window (an attempt
    /// that failed at once would spend one of the run's three on a short outage).
    public static func prepare(plan: RunPlan, map: PlayableMap, blobs: any BlobStore, parent: String? = nil,
                               retry: OutageRetry, logger: Logger) async throws -> RunWorkspace {
        // Short on purpose: VizDoom 1.3.2's engine hangs at start-up when a file path it is given
        // (the WAD, the demo) runs past about 100 characters.
        let directory = base(parent) + "/" + prefix + UUID().uuidString.prefix(8).lowercased()
        guard directory.utf8.count <= maxDirectoryLength else { throw RunWorkspaceError.pathTooLong(directory) }
        let workspace = RunWorkspace(directory: directory)
        do {
            for folder in [workspace.screenshotDirectory, workspace.demoDirectory, workspace.checkpointDirectory] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            try Data(String(getpid()).utf8).write(to: URL(fileURLWithPath: directory + "/" + ownerFile))
            _ = try await retry.run("fetching the map's WAD", logger: logger) {
                try await blobs.download(map.blobKey, toFile: workspace.wadPath)
            }
        } catch {
            workspace.remove()
            throw RunWorkspaceError.wadUnavailable(map: map.name, key: map.blobKey, detail: String(describing: error))
        }
        return workspace
    }

    /// Longest workspace folder: its files' paths stay under VizDoom's limit.
    public static let maxDirectoryLength = 60
    static let prefix = "pt-"
    /// Names the pid of the worker process that made the folder.
    static let ownerFile = "owner"

    private static func base(_ parent: String?) -> String { parent ?? "/tmp" }

    /// Removes the workspaces under `parent` whose worker process no longer runs (a worker killed with SIGKILL leaves
    /// its attempt's folder, WAD, screenshots and demos behind). Folders without an owner file are not ours and are
    /// left alone; so is a folder whose pid runs again as another process, until that one ends. Returns the folders
    /// removed.
    @discardableResult
    public static func removeAbandoned(parent: String?) -> [String] {
        let base = base(parent)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            let folder = base + "/" + name
            guard let text = try? String(contentsOfFile: folder + "/" + ownerFile, encoding: .utf8),
                  let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), !isRunning(pid) else { continue }
            if (try? FileManager.default.removeItem(atPath: folder)) != nil { removed.append(folder) }
        }
        return removed
    }

    private static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

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
    public func writeConfig(plan: RunPlan, map: PlayableMap, assignment: Assignment, checkpoint: String?, navigation: JSONValue? = nil) throws {
        var config = AgentRunConfig(plan: plan, map: map, workspace: self, assignment: assignment, checkpoint: checkpoint)
        config.navigation = navigation
        try PlaytestJSON.data(config).write(to: URL(fileURLWithPath: configPath), options: .atomic)
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension AgentRunConfig {
    /// The agent's `run.json` (docs/agent-protocol.md, "Config") for a run's plan and map in this workspace.
    init(plan: RunPlan, map: PlayableMap, workspace: RunWorkspace, assignment: RunWorkspace.Assignment, checkpoint: String?) {
        self.init()
        self.map = plan.mapName
        seed = plan.seed
        if let scenario = plan.scenarioName {
            // A built-in scenario map: the scenario's cfg (buttons, rewards, timeout) with the fetched WAD.
            scenarioCfg = scenario
            pwads = [workspace.wadPath]
        } else if map.isIWAD {
            wad = workspace.wadPath
        } else {
            // A PWAD plays on top of the bundled freedoom2 IWAD (the agent's default `wad`).
            pwads = [workspace.wadPath]
        }
        var env = Env()
        env.skill = plan.skill
        env.episodeTimeout = plan.episodeTimeoutTics
        env.frameSkip = plan.frameSkip
        env.resolution = plan.resolution
        env.godMode = plan.godMode
        switch assignment {
        case .evaluate(let episodes):
            agent = plan.agent
            self.episodes = max(1, episodes)
            telemetryEvery = plan.telemetryEvery
            screenshotDir = workspace.screenshotDirectory
            screenshotTics = plan.screenshotTics
            // Milestone screenshots are the evidence of a milestone (docs/live-state.md), so they are always on.
            screenshotOn = plan.screenshots ? ["death", "stuck", "milestone"] : ["milestone"]
            recordDemos = plan.recordDemos
            demoDir = workspace.demoDirectory
            if plan.agent == "dqn" {
                // A checkpoint brings its own action set; the requested one only has to allow its buttons.
                self.checkpoint = checkpoint
            } else {
                env.actionCombinations = plan.actionCombinations
            }
        case .train(let iterations, let resumeFrom):
            agent = "dqn"
            self.iterations = max(1, iterations)
            checkpointDir = workspace.checkpointDirectory
            checkpointEvery = plan.checkpointEvery
            progressEvery = plan.progressEvery
            self.resumeFrom = resumeFrom
            if resumeFrom == nil { env.actionCombinations = plan.actionCombinations }
            if !plan.dqn.isEmpty { dqn = plan.dqn }
        }
        self.env = env
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
