import Foundation
import PlaytestTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A `WorkerProbe` process (a worker with the run handlers) the crash tests start and SIGKILL.
/// Its stdout and stderr go to files in `folder`, so the test can read its log afterwards.
final class WorkerProbeProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String

    static func executablePath() throws -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"))
        for folder in candidates {
            let path = folder.appendingPathComponent("WorkerProbe").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw LaunchError("cannot find the WorkerProbe executable next to the tests (looked in \(candidates.map(\.path)))")
    }

    init(harness: RunHarness, lease: Duration, name: String) throws {
        logPath = harness.dataDirectory + "/\(name).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: try Self.executablePath())
        process.arguments = ["\(lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000)"]
        process.environment = harness.probeEnvironment
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
