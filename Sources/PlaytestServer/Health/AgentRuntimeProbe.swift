import Foundation
import NIOConcurrencyHelpers
import PlaytestCore
import PlaytestServices

/// Whether the Python agent runtime can start here: is the venv's interpreter present, and which
/// vizdoom and torch does it import? Asking Python takes a second or two, so the answer is cached.
public final class AgentRuntimeProbe: Sendable {
    public struct Report: Codable, Sendable, Equatable {
        var ok: Bool
        var python: String
        var venvPresent: Bool
        var vizdoom: String?
        var torch: String?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case ok, python, vizdoom, torch, error
            case venvPresent = "venv_present"
        }
    }

    let pythonPath: String
    let cacheFor: Duration
    private let state = NIOLockedValueBox(ProbeState())

    private struct ProbeState {
        var last: (at: ContinuousClock.Instant, report: Report)?
        var inFlight: Task<Report, Never>?
    }

    /// Starts the first probe at once, so the first health check rarely waits for it.
    public init(pythonPath: String, cacheFor: Duration = .seconds(60)) {
        self.pythonPath = pythonPath
        self.cacheFor = cacheFor
        _ = refresh()
    }

    /// The latest report. A stale one is returned while a fresh probe runs in the background; with
    /// none yet, waits up to 2 s for the first.
    public func report() async -> Report {
        let (last, stale) = state.withLockedValue { state -> (Report?, Bool) in
            guard let last = state.last else { return (nil, true) }
            return (last.report, ContinuousClock.now - last.at >= cacheFor)
        }
        if let last {
            if stale { _ = refresh() }
            return last
        }
        let probe = refresh()
        do {
            return try await withTimeout(.seconds(2)) { await probe.value }
        } catch {
            var pending = Report(ok: false, python: pythonPath, venvPresent: FileManager.default.isExecutableFile(atPath: pythonPath))
            pending.error = "still checking the agent runtime (starting Python); ask again in a few seconds"
            return pending
        }
    }

    /// The probe in flight, or a new one.
    private func refresh() -> Task<Report, Never> {
        state.withLockedValue { current in
            if let running = current.inFlight { return running }
            let task = Task { [self] in
                let report = await probe()
                self.state.withLockedValue {
                    $0.last = (ContinuousClock.now, report)
                    $0.inFlight = nil
                }
                return report
            }
            current.inFlight = task
            return task
        }
    }

    private func probe() async -> Report {
        var report = Report(ok: false, python: pythonPath, venvPresent: FileManager.default.isExecutableFile(atPath: pythonPath))
        guard report.venvPresent else {
            report.error = "no Python interpreter at \(pythonPath); run `make venv` (or set PLAYTEST_PYTHON)"
            return report
        }
        // Importing vizdoom proves the engine loads; torch is only looked up, as importing it takes seconds.
        let script = "import json, vizdoom; from importlib.metadata import version; print(json.dumps({'vizdoom': vizdoom.__version__, 'torch': version('torch')}))"
        do {
            let output = try await Self.run(pythonPath, ["-c", script], timeout: .seconds(30))
            guard output.status == 0 else {
                let lastLine = output.stderr.split(separator: "\n").last.map(String.init) ?? "exit \(output.status)"
                report.error = "the agent runtime cannot import its packages: \(lastLine)"
                return report
            }
            let versions = try PlaytestJSON.decode([String: String].self, from: output.stdout)
            report.vizdoom = versions["vizdoom"]
            report.torch = versions["torch"]
            report.ok = true
        } catch {
            report.error = "probing the agent runtime failed: \(error)"
        }
        return report
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "the interpreter did not answer in time" }
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Duration) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let status: Int32 = try await withThrowingTaskGroup(of: Int32.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do {
                        try process.run()
                    } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOut()
            }
            defer { group.cancelAll() }
            do {
                guard let status = try await group.next() else { throw TimedOut() }
                return status
            } catch {
                if process.isRunning { process.terminate() }
                throw error
            }
        }
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Output(status: status, stdout: out, stderr: err)
    }
}
