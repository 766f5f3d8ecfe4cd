import Foundation
import PlaytestTestSupport

/// A helper executable built with the tests (e.g. `QueueProbe`), run as a separate process whose
/// stdout lines the test reads.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [String] = []

    static func productPath(_ name: String) throws -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"))
        for folder in candidates {
            let path = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw LaunchError("cannot find the \(name) executable next to the tests (looked in \(candidates.map(\.path)))")
    }

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.append(data)
        }
        try process.run()
    }

    private func append(_ data: Data) {
        lock.lock(); defer { lock.unlock() }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: 0x0A) {
            lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
    }

    var linesSoFar: [String] {
        lock.lock(); defer { lock.unlock() }
        return lines
    }

    /// Waits (polling) until a line satisfies `predicate`; fails when the child exits first, or after `timeout`.
    func waitForLine(timeout: Duration = .seconds(30), _ predicate: (String) -> Bool) async throws -> String {
        try await Deadline.value("a line from \(process.executableURL?.lastPathComponent ?? "the child")", within: timeout) {
            if let line = linesSoFar.first(where: predicate) { return line }
            if !process.isRunning {
                throw LaunchError("child exited with \(process.terminationStatus) before printing the expected line; got \(linesSoFar)")
            }
            return nil
        }
    }

    func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        do {
            try await Deadline.wait("the child to exit", within: timeout) { !process.isRunning }
        } catch {
            process.terminate()
            throw error
        }
        // Let the reader drain what the child wrote last.
        try await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    func kill(signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }
}
