import Foundation

/// Where the Python agent runtime lives: its interpreter and the folder holding the package
/// `playtest_agent` (`agent/`). The worker runs `<python> -m playtest_agent ...` with that folder on
/// `PYTHONPATH` and its parent (the repository root) as the working directory.
public struct AgentRuntime: Sendable, Equatable {
    /// The interpreter, made absolute (not symlink-resolved: a venv's `python` is a link).
    public var python: String
    /// The folder that contains `playtest_agent/` and `checkpoints/`.
    public var agentDirectory: String

    public init(python: String, agentDirectory: String) {
        self.python = python
        self.agentDirectory = agentDirectory
    }

    /// The agent's working directory: the folder above `agentDirectory`.
    public var root: String { (agentDirectory as NSString).deletingLastPathComponent }

    /// Resolves the configured paths (`PLAYTEST_PYTHON`, `PLAYTEST_AGENT_DIR`). A relative agent
    /// folder is looked up in the current directory, then next to the interpreter's virtual
    /// environment (`<root>/.venv/bin/python` → `<root>/agent`).
    public static func locate(
        pythonPath: String, agentDirectory: String = "agent",
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(AgentRuntimeError) -> AgentRuntime {
        let python = absolute(pythonPath, in: currentDirectory)
        guard FileManager.default.isExecutableFile(atPath: python) else { throw .interpreterMissing(python) }
        var candidates = [absolute(agentDirectory, in: currentDirectory)]
        if !agentDirectory.hasPrefix("/") {
            let venvParent = (((python as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            candidates.append(absolute(agentDirectory, in: venvParent))
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/playtest_agent/__main__.py") {
            return AgentRuntime(python: python, agentDirectory: candidate)
        }
        throw .packageMissing(searched: candidates)
    }

    static func absolute(_ path: String, in directory: String) -> String {
        ((path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)) as NSString).standardizingPath
    }

    /// A shipped checkpoint (`<agent>/checkpoints/<name>.pt`), if there is one by that name.
    public func builtinCheckpoint(named name: String) -> String? {
        guard name.range(of: #"^[A-Za-z0-9_.-]+$"#, options: .regularExpression) != nil, !name.hasPrefix(".") else { return nil }
        let stem = name.hasSuffix(".pt") ? String(name.dropLast(3)) : name
        let path = agentDirectory + "/checkpoints/" + stem + ".pt"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

public enum AgentRuntimeError: Error, Equatable, CustomStringConvertible {
    case interpreterMissing(String)
    case packageMissing(searched: [String])

    public var description: String {
        switch self {
        case .interpreterMissing(let path):
            "no Python interpreter at \(path); run `make venv` or set PLAYTEST_PYTHON to the agent runtime's interpreter"
        case .packageMissing(let searched):
            "cannot find the agent runtime (playtest_agent) in \(searched.joined(separator: " or ")); set PLAYTEST_AGENT_DIR or run playtest from the repository root"
        }
    }
}
