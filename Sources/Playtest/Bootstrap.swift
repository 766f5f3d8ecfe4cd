import ArgumentParser
import Foundation
import Logging
import PlaytestServer
import PlaytestStorage

/// Process start-up shared by the subcommands: logging, configuration, engines.
enum Bootstrap {
    static func environment() -> [String: String] {
        EnvironmentFile.merged(path: ".env")
    }

    static func logging(_ env: [String: String]) -> Logger {
        let level = env["PLAYTEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let json = env["PLAYTEST_LOG_FORMAT"].map { $0 == "json" } ?? (isatty(STDERR_FILENO) == 0)
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "playtest")
    }

    static func configuration(_ env: [String: String]) throws -> PlaytestConfiguration {
        do {
            return try PlaytestConfiguration.load(from: env)
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }

    static func engines(_ configuration: PlaytestConfiguration, migrate: Bool, logger: Logger) async throws -> PlaytestEngines {
        do {
            return try await PlaytestEngines.open(configuration, migrate: migrate, logger: logger)
        } catch {
            throw StartupError(message: "cannot start: \(error)")
        }
    }
}

extension Bootstrap {
    /// The map library on the engines, with freedoom2's textures for the map checks when the venv has vizdoom.
    static func mapLibrary(_ engines: PlaytestEngines) -> MapLibrary {
        let vizdoom = BuiltinMaps.vizdoomDirectory(pythonPath: engines.configuration.pythonPath)
        return MapLibrary(sql: engines.sql, blobs: engines.blobs, baseResources: BuiltinMaps.baseResources(vizdoomDirectory: vizdoom))
    }
}

struct StartupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
