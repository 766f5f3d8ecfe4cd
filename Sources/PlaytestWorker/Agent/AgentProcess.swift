import Foundation
import NIOConcurrencyHelpers
import PlaytestCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of the Python agent runtime: `<python> -m playtest_agent evaluate|train --config <file>`
/// in the repository root, its stdout read line by line into ``AgentMessage``s, the last few KB of its
/// stderr kept for the failure report, and its exit status.
///
/// `messages` ends when stdout closes, or throws ``AgentProcessError/protocolViolation(line:error:)``
/// at the first line that is not a valid message (the rest of stdout is drained and dropped, so the
/// agent never blocks on a full pipe). Cancelling the task that iterates `messages` stops the process
/// like ``stop(grace:)`` does. The process is always reaped; its pipes are closed once read to the end.
public final class AgentProcess: Sendable {
    public static let stderrTailBytes = 8 * 1024

    public let pid: Int32
    public let messages: AgentMessages
    private let control: Control

    /// Starts the agent. Throws ``AgentProcessError/launchFailed(_:)`` when the interpreter cannot run.
    public static func start(
        runtime: AgentRuntime, command: AgentCommand, configPath: String, environment: [String: String] = [:]
    ) throws(AgentProcessError) -> AgentProcess {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = runtime.agentDirectory
        env["PYTHONUNBUFFERED"] = "1"
        for (key, value) in environment { env[key] = value }
        let spawned: AgentSpawn
        do {
            spawned = try AgentSpawn.start(
                executable: runtime.python, arguments: ["-m", "playtest_agent", command.rawValue, "--config", configPath],
                environment: env, directory: runtime.root)
        } catch {
            throw .launchFailed("\(runtime.python): \(error)")
        }
        let control = Control()
        let pid = spawned.pid
        Thread.detachNewThread {
            let exit = AgentSpawn.wait(for: pid)
            // VizDoom runs its engine as a child process of the agent. Left behind (the agent crashed
            // or was killed), it would hold the pipes open forever: the agent's group goes with it.
            AgentSpawn.killGroup(pid)
            control.exited(exit)
        }
        return AgentProcess(
            pid: pid, stdout: FileHandle(fileDescriptor: spawned.stdout, closeOnDealloc: false),
            stderr: FileHandle(fileDescriptor: spawned.stderr, closeOnDealloc: false), control: control)
    }

    private init(pid: Int32, stdout: FileHandle, stderr: FileHandle, control: Control) {
        self.pid = pid
        self.control = control
        control.setPID(pid)
        let (stream, continuation) = AsyncThrowingStream<[AgentMessage], any Error>.makeStream()
        self.messages = AgentMessages(batches: stream)
        continuation.onTermination = { termination in
            if case .cancelled = termination {
                Task { _ = await control.stop(grace: .seconds(5)) }
            }
        }
        let stdoutBox = UncheckedBox(stdout)
        let stderrBox = UncheckedBox(stderr)
        Thread.detachNewThread {
            StdoutReader(handle: stdoutBox.value, continuation: continuation).run()
            control.pipeClosed()
        }
        Thread.detachNewThread {
            Self.readStderr(stderrBox.value, into: control)
            control.pipeClosed()
        }
    }

    /// The exit, once the process has ended and been reaped.
    public var exit: AgentExit? { control.currentExit }

    /// The last ``stderrTailBytes`` of the agent's stderr (its logs and any trace).
    public var stderrTail: String { control.stderrTail }

    /// Waits until the process has exited (not cancellable: the caller always learns the outcome).
    public func waitForExit() async -> AgentExit {
        await control.waitForExit()
    }

    /// Waits until stdout and stderr have been read to their ends and closed (every message
    /// delivered or dropped, the stderr tail complete).
    public func waitForOutput() async {
        await control.waitForPipes()
    }

    /// Asks the agent to stop (SIGTERM), waits `grace` for it to exit, then kills it (SIGKILL).
    /// Returns at once when it has already exited. Safe to call many times and from many tasks.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) async -> AgentExit {
        await control.stop(grace: grace)
    }

    /// Asks the agent to stop (SIGTERM) without a deadline: it ends its episode as stopped and sends `done`.
    public func requestStop() {
        control.signal(SIGTERM)
    }

    /// Kills the process at once (SIGKILL), e.g. when the worker gives up on it.
    public func kill() {
        control.signal(SIGKILL)
    }

    private static func readStderr(_ handle: FileHandle, into control: Control) {
        let fd = handle.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            control.appendStderr(chunk[0..<count])
        }
        try? handle.close()
    }
}

/// A value moved to a reader thread that is its only user from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
