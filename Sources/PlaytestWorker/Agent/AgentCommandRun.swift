import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One short command of the agent runtime that answers with its stdout, not the message protocol (`evidence`): run in
/// a process group of its own, its stdout kept whole (up to `maxStdout`) and the tail of its stderr, and the whole group
/// killed at `timeout` (the VizDoom engine is a child of Python's and would outlive it).
struct AgentCommandRun: Sendable {
    struct Result: Sendable {
        var exit: AgentExit
        var stdout: String
        var stderrTail: String
        var timedOut: Bool
    }

    static let maxStdout = 1 << 20

    /// `niceness`: the process's scheduling priority (0 normal, 19 lowest).
    static func run(runtime: AgentRuntime, arguments: [String], timeout: Duration, niceness: Int32 = 0) async throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = runtime.agentDirectory
        env["PYTHONUNBUFFERED"] = "1"
        let spawned = try AgentSpawn.start(executable: runtime.python, arguments: ["-m", "playtest_agent"] + arguments,
                                           environment: env, directory: runtime.root)
        let pid = spawned.pid
        // Background work: the replay, its engine and ffmpeg (children, which inherit it) yield the CPU to runs playing.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), niceness)
        let timedOut = NIOLockedValueBox(false)
        let ended = NIOLockedValueBox(false)
        // Only while it has not been reaped, so a reused pid is never hit.
        let killGroup = { @Sendable in ended.withLockedValue { done in if !done { AgentSpawn.killGroup(pid) } } }
        let killer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            timedOut.withLockedValue { $0 = true }
            killGroup()
        }
        async let stdout = Self.readAll(spawned.stdout, keep: maxStdout, tail: false)
        async let stderr = Self.readAll(spawned.stderr, keep: AgentProcess.stderrTailBytes, tail: true)
        // A cancelled job (a worker shutting down) takes the command with it.
        let exit = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    let exit = AgentSpawn.wait(for: pid)
                    ended.withLockedValue { $0 = true }
                    AgentSpawn.killGroup(pid)
                    continuation.resume(returning: exit)
                }
            }
        } onCancel: {
            killGroup()
        }
        killer.cancel()
        return Result(exit: exit, stdout: await stdout, stderrTail: await stderr, timedOut: timedOut.withLockedValue { $0 })
    }

    /// Reads `fd` to its end on a thread of its own and closes it, keeping the first (or, with `tail`, the last) `keep`
    /// bytes.
    private static func readAll(_ fd: Int32, keep: Int, tail: Bool) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var kept: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    kept.append(contentsOf: chunk[0..<count])
                    if kept.count > keep {
                        if tail { kept.removeFirst(kept.count - keep) } else { kept.removeLast(kept.count - keep) }
                    }
                }
                close(fd)
                continuation.resume(returning: String(decoding: kept, as: UTF8.self))
            }
        }
    }
}
