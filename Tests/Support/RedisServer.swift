import Foundation

/// A throwaway redis-server on a free loopback port (Debian's `redis-server`) that a test may stop, as a crash
/// would, and start again on the same port.
///
/// Starting and stopping wait by suspending, never by blocking a thread: tests run on Swift's cooperative pool, which
/// has one thread per core, so a launcher that sleeps on its thread while a loaded machine starts redis-server stalls
/// every other test in the process (their Redis TTLs lapse, their PostgreSQL pool requests time out).
public final class RedisServer: @unchecked Sendable {
    public static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(folder)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    public static var isAvailable: Bool { executable != nil }
    /// Why tests that need it are skipped when it is missing.
    public static let missing = "redis-server is not installed (Debian package redis-server)"

    public let port: Int
    private let extraArguments: [String]
    private let directory: URL
    private var process: Process?

    /// A server on a free port; `start()` starts it.
    public init(extraArguments: [String] = []) throws {
        self.port = try FreePort.find()
        self.extraArguments = extraArguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("playtest-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A server that is running.
    public static func started(extraArguments: [String] = []) async throws -> RedisServer {
        let server = try RedisServer(extraArguments: extraArguments)
        try await server.start()
        return server
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    public var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts the server and returns once it logs that it accepts connections.
    public func start() async throws {
        guard let executable = Self.executable else { throw LaunchError(Self.missing) }
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
        do {
            try await Deadline.wait("redis-server on port \(port) to accept connections") {
                let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                return log.contains("Ready to accept connections") || !process.isRunning
            }
        } catch {
            await stop()
            throw error
        }
        guard process.isRunning else {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw LaunchError("redis-server exited before it was ready: \(log)")
        }
    }

    /// Kills the server (SIGKILL, like a crash) and waits for it to exit, so the port is free again. SIGKILL because
    /// a child spawned from a test thread inherits that thread's blocked signals, so it would never see a SIGTERM.
    public func stop() async {
        guard let process else { return }
        kill()
        // The deadline guards a hang only: a killed process that never exits is reported, not waited for forever.
        try? await Deadline.wait("redis-server on port \(port) to exit") { !process.isRunning }
    }

    /// SIGKILL without waiting for the exit (`defer`, `deinit`).
    public func kill() {
        guard let process else { return }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        self.process = nil
    }

    public var isRunning: Bool { process?.isRunning ?? false }
}

/// A helper process could not be started.
public struct LaunchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A loopback port nobody listens on.
public enum FreePort {
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LaunchError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw LaunchError("could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
