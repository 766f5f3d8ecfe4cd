import Foundation
import Testing

/// A throwaway redis-server on a free loopback port that a test may stop and start again.
final class PrivateRedisServer: @unchecked Sendable {
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { executable != nil }
    static let skipReason: Comment = "redis-server is not on PATH (Debian package redis-server); restart tests skipped"

    let port: Int
    private let extraArguments: [String]
    private let directory: URL
    private var process: Process?

    init(extraArguments: [String] = []) throws {
        self.port = try Self.freePort()
        self.extraArguments = extraArguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts the server and returns once it logs that it accepts connections.
    func start() throws {
        guard let executable = Self.executable else { throw ServerError("redis-server not found") }
        let logFile = directory.appendingPathComponent("redis.log")
        try? FileManager.default.removeItem(at: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", directory.path, "--logfile", logFile.path,
        ] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Readiness is a line in the log; look for it until a generous deadline.
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if log.contains("Ready to accept connections") { return }
            guard process.isRunning else { throw ServerError("redis-server exited before it was ready: \(log)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop()
        throw ServerError("redis-server did not become ready within 15 s")
    }

    /// Kills the server (SIGKILL, like a crash) and waits for it to exit, so the port is free again.
    /// SIGKILL because a child spawned from a test thread inherits that thread's blocked signals,
    /// so redis-server would never see a SIGTERM.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    private static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ServerError("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ServerError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw ServerError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
