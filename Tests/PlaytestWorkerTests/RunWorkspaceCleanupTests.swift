import Foundation
import PlaytestServices
import PlaytestStorage
@testable import PlaytestWorker
import Testing

@Suite("What a killed attempt leaves behind")
struct RunWorkspaceCleanupTests {
    /// A pid that ran and is gone: a child that exited and was reaped.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("a worker starting removes the workspaces of workers that are gone, and only those")
    func removesAbandoned() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: parent) }
        func folder(_ name: String, owner: Int32?) throws -> String {
            let path = parent + "/" + name
            try FileManager.default.createDirectory(atPath: path + "/demos", withIntermediateDirectories: true)
            try Data("demo".utf8).write(to: URL(fileURLWithPath: path + "/demos/e1.lmp"))
            if let owner { try Data(String(owner).utf8).write(to: URL(fileURLWithPath: path + "/owner")) }
            return path
        }
        let gone = try folder("pt-0000dead", owner: try Self.deadPID())
        let alive = try folder("pt-0000a11e", owner: getpid())
        let unowned = try folder("pt-00000000", owner: nil)
        let other = try folder("other-thing", owner: try Self.deadPID())

        #expect(RunWorkspace.removeAbandoned(parent: parent) == [gone])
        for kept in [alive, unowned, other] { #expect(FileManager.default.fileExists(atPath: kept)) }
        #expect(!FileManager.default.fileExists(atPath: gone))
    }

    @Test("files a rescue cannot make again fail the run for good; a training checkpoint is made again")
    func lostFiles() {
        let outage = BlobError.unavailable("S3 did not answer")
        var result = AgentRunResult(exit: .exited(0), stderrTail: "")
        result.storageError = RunFilesLost(files: ["runs/r/demos/episode_0001.lmp"], retried: .seconds(180), cause: outage, replayable: false)
        let failure = result.failure()
        #expect(failure?.permanent == true)
        #expect(failure?.message.contains("runs/r/demos/episode_0001.lmp") == true)
        #expect(failure?.message.contains("retried for 180") == true)

        result.storageError = RunFilesLost(files: ["runs/r/checkpoints/dqn_00000010.pt"], retried: .seconds(180), cause: outage, replayable: true)
        #expect(result.failure()?.permanent == false)
        result.storageError = outage
        #expect(result.failure()?.permanent == false, "an outage while writing steps: the next attempt replays the episode")
    }
}
