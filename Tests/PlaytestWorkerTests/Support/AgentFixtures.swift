import Foundation
import PlaytestTestSupport
@testable import PlaytestWorker

/// Paths the agent tests need: the repository (found from this file, through the dev package's
/// symlinks), its virtual environment's interpreter, and fake interpreters written on the fly.
enum AgentFixtures {
    static var python: String { Repository.python }

    /// The real runtime, when this machine has the venv (CI always has).
    static var runtime: AgentRuntime? {
        try? AgentRuntime.locate(pythonPath: python, agentDirectory: Repository.agentDirectory)
    }

    static var hasRuntime: Bool { runtime != nil }

    /// A folder that is removed when the test ends.
    static func temporaryDirectory(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A runtime whose "interpreter" is a shell script (arguments ignored), for protocol and signal cases.
    static func fakeRuntime(script: String, in directory: String) throws -> AgentRuntime {
        let agent = directory + "/agent"
        try FileManager.default.createDirectory(atPath: agent + "/playtest_agent", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: agent + "/playtest_agent/__main__.py", contents: Data())
        let path = directory + "/fake-python"
        // Written through a descriptor closed on exec: one inherited by an agent another test spawns meanwhile would keep
        // the script open for writing, and spawning it would fail with "Text file busy" (seen in CI).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let bytes = Array(("#!/bin/bash\n" + script + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        return AgentRuntime(python: path, agentDirectory: agent)
    }

    /// Writes an agent config and returns its path.
    static func writeConfig(_ object: [String: Any], in directory: String) throws -> String {
        let path = directory + "/run.json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What a process's descriptors point at ("pipe:[123]", "/dev/null", ...), by descriptor number.
    static func descriptorTargets(pid: String = "self") -> [String: String] {
        let folder = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var targets: [String: String] = [:]
        for name in names {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + name) { targets[name] = target }
        }
        return targets
    }

    /// True while `pid` exists in any state, a zombie included.
    static func processExists(_ pid: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    static let hello = #"{"v":1,"type":"hello","protocol":1,"runtime":"playtest_agent","version":"0.1.0","command":"evaluate","agent":"random","vizdoom":"1.3.2","torch":"2","python":"3","pid":1,"capabilities":[]}"#
    static let done = #"{"v":1,"type":"done","reason":"completed","episodes":0,"iterations":null,"elapsed_s":0.1}"#
}
