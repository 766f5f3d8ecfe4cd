import Foundation
import PlaytestCore
@testable import PlaytestWorker
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("AgentProcess", .serialized)
struct AgentProcessTests {
    @Test("plays a real evaluate run: hello first, done last, exit 0, reaped, no descriptor left open",
          .enabled(if: AgentFixtures.hasRuntime, "needs the agent venv (.venv)"))
    func realEvaluate() async throws {
        let runtime = try #require(AgentFixtures.runtime)
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentFixtures.writeConfig(
            ["agent": "random", "scenario_cfg": "defend_the_center", "episodes": 2, "seed": 1, "env": ["episode_timeout": 150]], in: folder)
        let agent = try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: config)
        // The pipes the agent writes its stdout and stderr to. Other tests run in this process at the same time, so
        // the check is on these pipes, not on a descriptor count.
        let agentPipes = Set(["1", "2"].compactMap { AgentFixtures.descriptorTargets(pid: "\(agent.pid)")[$0] }.filter { $0.hasPrefix("pipe:") })
        #expect(agentPipes.count == 2, "the agent's stdout and stderr are pipes")
        var types: [AgentMessageType] = []
        var ends = 0
        for try await message in agent.messages {
            types.append(message.type)
            if case .episodeEnd = message { ends += 1 }
        }
        let exit = await agent.waitForExit()
        #expect(exit == .exited(0))
        #expect(types.first == .hello)
        #expect(types.last == .done)
        #expect(ends == 2)
        #expect(types.contains(.step))
        #expect(!AgentFixtures.processExists(agent.pid), "the agent must be reaped, not left a zombie")
        await agent.waitForOutput()
        let stillOpen = AgentFixtures.descriptorTargets().values.filter { agentPipes.contains($0) }
        #expect(stillOpen.isEmpty, "the worker's ends of the agent's pipes must be closed")
    }

    @Test("a bad line fails the stream with its line number and the decoder's message")
    func protocolViolation() async throws {
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try AgentFixtures.fakeRuntime(script: """
            echo '\(AgentFixtures.hello)'
            echo '{"v":1,"type":"teleport"}'
            for i in $(seq 1 20000); do echo "more output the worker drops $i"; done
            """, in: folder)
        let agent = try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: "/dev/null")
        var received = 0
        do {
            for try await _ in agent.messages { received += 1 }
            Issue.record("the stream should have failed")
        } catch let error as AgentProcessError {
            guard case .protocolViolation(let line, let decoderError) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(line == 2)
            #expect(decoderError == .unknownType("teleport"))
            #expect(error.description.contains("line 2"))
        }
        #expect(received == 1)
        // The rest of stdout (far more than a pipe holds) is drained, so the script can finish.
        #expect(await agent.waitForExit() == .exited(0))
    }

    @Test("a last line cut off by a crash is a protocol error, and the exit status is reported")
    func truncatedLastLine() async throws {
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try AgentFixtures.fakeRuntime(script: """
            echo '\(AgentFixtures.hello)'
            printf '{"v":1,"type":"done","rea'
            echo 'Traceback: boom' >&2
            exit 1
            """, in: folder)
        let agent = try AgentProcess.start(runtime: runtime, command: .train, configPath: "/dev/null")
        await #expect(throws: AgentProcessError.protocolViolation(line: 2, error: .truncatedJSON(offset: 25))) {
            for try await _ in agent.messages {}
        }
        #expect(await agent.waitForExit() == .exited(1))
        await agent.waitForOutput()
        #expect(agent.stderrTail.contains("Traceback: boom"))
    }

    @Test("stop sends SIGTERM, then SIGKILL after the grace period when the agent ignores it")
    func stopEscalates() async throws {
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try AgentFixtures.fakeRuntime(script: """
            trap 'echo got TERM >&2' TERM
            echo '\(AgentFixtures.hello)'
            while true; do sleep 0.05; done
            """, in: folder)
        let agent = try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: "/dev/null")
        var iterator = agent.messages.makeAsyncIterator()
        #expect(try await iterator.next()?.type == .hello)
        let exit = await agent.stop(grace: .milliseconds(300))
        #expect(exit == .signalled(SIGKILL))
        await agent.waitForOutput()
        #expect(agent.stderrTail.contains("got TERM"))
        #expect(!AgentFixtures.processExists(agent.pid))
    }

    @Test("cancelling the task that reads the messages stops the process")
    func cancellationStops() async throws {
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try AgentFixtures.fakeRuntime(script: """
            echo '\(AgentFixtures.hello)'
            while true; do sleep 0.05; done
            """, in: folder)
        let agent = try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: "/dev/null")
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let reader = Task {
            for try await message in agent.messages where message.type == .hello { startedContinuation.yield() }
        }
        for await _ in started { break }
        reader.cancel()
        _ = await reader.result
        // bash runs the trap-less default for SIGTERM: it dies of the signal.
        #expect(await agent.waitForExit() == .signalled(SIGTERM))
    }

    @Test("keeps only the last 8 KB of stderr")
    func stderrTail() async throws {
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try AgentFixtures.fakeRuntime(script: """
            for i in $(seq 1 5000); do echo "log line $i" >&2; done
            echo 'the last words' >&2
            echo '\(AgentFixtures.done)'
            """, in: folder)
        let agent = try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: "/dev/null")
        for try await _ in agent.messages {}
        _ = await agent.waitForExit()
        await agent.waitForOutput()
        let tail = agent.stderrTail
        #expect(tail.hasSuffix("the last words\n"))
        #expect(tail.utf8.count == AgentProcess.stderrTailBytes)
        #expect(!tail.contains("log line 1\n"))
    }

    @Test("a missing interpreter is a launch error that names it")
    func launchFails() {
        let runtime = AgentRuntime(python: "/nonexistent/python", agentDirectory: "/tmp")
        #expect(throws: AgentProcessError.self) {
            try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: "/dev/null")
        }
    }
}

extension AgentProcessTests {
    @Test("the agent starts in the repository root with SIGTERM and SIGINT neither ignored nor blocked, whatever the worker did with them")
    func defaultSignalDispositions() async throws {
        let folder = try AgentFixtures.temporaryDirectory("agent-process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = try AgentFixtures.fakeRuntime(script: """
            grep -E "SigBlk|SigIgn" /proc/self/status >&2
            echo "cwd:$(pwd)" >&2
            echo '\(AgentFixtures.done)'
            """, in: folder)
        // `playtest worker` ignores SIGTERM and SIGINT itself (it handles them with dispatch sources).
        let previous = signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, previous) }
        let agent = try AgentProcess.start(runtime: runtime, command: .evaluate, configPath: "/dev/null")
        for try await _ in agent.messages {}
        _ = await agent.waitForExit()
        await agent.waitForOutput()
        var masks: [String: UInt64] = [:]
        for line in agent.stderrTail.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2 else { continue }
            masks[String(parts[0])] = UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16)
        }
        #expect(agent.stderrTail.contains("cwd:\(runtime.root)\n"))
        let term: UInt64 = 1 << (UInt64(SIGTERM) - 1)
        let interrupt: UInt64 = 1 << (UInt64(SIGINT) - 1)
        let ignored = try #require(masks["SigIgn"])
        let blocked = try #require(masks["SigBlk"])
        #expect(ignored & (term | interrupt) == 0, "SigIgn \(String(ignored, radix: 16))")
        #expect(blocked & (term | interrupt) == 0, "SigBlk \(String(blocked, radix: 16))")
    }
}
