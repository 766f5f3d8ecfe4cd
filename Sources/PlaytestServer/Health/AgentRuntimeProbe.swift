import Foundation
import NIOConcurrencyHelpers

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
    private let cache = NIOLockedValueBox<(ContinuousClock.Instant, Report)?>(nil)

    public init(pythonPath: String, cacheFor: Duration = .seconds(60)) {
        self.pythonPath = pythonPath
        self.cacheFor = cacheFor
    }

    public func report() async -> Report {
        if let (at, report) = cache.withLockedValue({ $0 }), ContinuousClock.now - at < cacheFor {
            return report
        }
        let report = await probe()
        cache.withLockedValue { $0 = (ContinuousClock.now, report) }
        return report
    }

    private func probe() async -> Report {
        var report = Report(ok: false, python: pythonPath, venvPresent: FileManager.default.isExecutableFile(atPath: pythonPath))
        guard report.venvPresent else {
            report.error = "no Python interpreter at \(pythonPath); run `make venv` (or set PLAYTEST_PYTHON)"
            return report
        }
        let script = "import json, vizdoom, torch; print(json.dumps({'vizdoom': vizdoom.__version__, 'torch': torch.__version__}))"
        do {
            let output = try await Self.run(pythonPath, ["-c", script], timeout: .seconds(30))
            guard output.status == 0 else {
                let lastLine = output.stderr.split(separator: "\n").last.map(String.init) ?? "exit \(output.status)"
                report.error = "the agent runtime cannot import its packages: \(lastLine)"
                return report
            }
            let versions = try JSONDecoder().decode([String: String].self, from: Data(output.stdout.utf8))
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
