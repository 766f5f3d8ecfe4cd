import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AgentProcess {
    /// The shared state of one agent process: its exit, who waits for it, and its stderr tail.
    final class Control: Sendable {
        private struct State {
            var pid: Int32 = 0
            var exit: AgentExit?
            var exitWaiters: [CheckedContinuation<AgentExit, Never>] = []
            var openPipes = 2
            var pipeWaiters: [CheckedContinuation<Void, Never>] = []
            var stderr: [UInt8] = []
        }

        private let state = NIOLockedValueBox(State())

        func setPID(_ pid: Int32) {
            state.withLockedValue { $0.pid = pid }
        }

        var currentExit: AgentExit? { state.withLockedValue { $0.exit } }

        var stderrTail: String {
            let bytes = state.withLockedValue { $0.stderr }
            return String(decoding: bytes, as: UTF8.self)
        }

        func appendStderr(_ bytes: ArraySlice<UInt8>) {
            state.withLockedValue { state in
                state.stderr.append(contentsOf: bytes)
                let excess = state.stderr.count - AgentProcess.stderrTailBytes
                if excess > 0 { state.stderr.removeFirst(excess) }
            }
        }

        func exited(_ exit: AgentExit) {
            let waiters = state.withLockedValue { state -> [CheckedContinuation<AgentExit, Never>] in
                state.exit = exit
                defer { state.exitWaiters = [] }
                return state.exitWaiters
            }
            for waiter in waiters { waiter.resume(returning: exit) }
        }

        func waitForExit() async -> AgentExit {
            await withCheckedContinuation { continuation in
                let exit = state.withLockedValue { state -> AgentExit? in
                    if let exit = state.exit { return exit }
                    state.exitWaiters.append(continuation)
                    return nil
                }
                if let exit { continuation.resume(returning: exit) }
            }
        }

        /// A reader thread reached the end of its pipe (stdout or stderr) and closed it.
        func pipeClosed() {
            let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
                state.openPipes -= 1
                guard state.openPipes == 0 else { return [] }
                defer { state.pipeWaiters = [] }
                return state.pipeWaiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func waitForPipes() async {
            await withCheckedContinuation { continuation in
                let done = state.withLockedValue { state -> Bool in
                    if state.openPipes == 0 { return true }
                    state.pipeWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }

        /// Sends `signal` while the process has not been reaped (so a reused pid is never hit).
        func signal(_ signal: Int32) {
            state.withLockedValue { state in
                guard state.exit == nil, state.pid > 0 else { return }
                #if canImport(Glibc)
                _ = Glibc.kill(state.pid, signal)
                // SIGKILL takes the agent's whole process group (it runs in its own), helpers included.
                if signal == SIGKILL { _ = Glibc.kill(-state.pid, signal) }
                #else
                _ = Darwin.kill(state.pid, signal)
                if signal == SIGKILL { _ = Darwin.kill(-state.pid, signal) }
                #endif
            }
        }

        func stop(grace: Duration) async -> AgentExit {
            if let exit = currentExit { return exit }
            signal(SIGTERM)
            let seconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
            let killer = DispatchWorkItem { [self] in signal(SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds), execute: killer)
            let exit = await waitForExit()
            killer.cancel()
            return exit
        }
    }
}
