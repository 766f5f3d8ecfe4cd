import ArgumentParser
import Foundation
import Logging
import PlaytestServer
import PlaytestServices
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

    /// Opens the engines; the embedded default migrates first, anything else must already have this binary's schema
    /// (`playtest migrate`), or start-up stops with the versions found and needed.
    static func engines(_ configuration: PlaytestConfiguration, logger: Logger) async throws -> PlaytestEngines {
        do {
            return try await PlaytestEngines.open(configuration, migrate: configuration.isEmbedded, logger: logger)
        } catch {
            throw StartupError(message: "cannot start: \(Services.describe(error))")
        }
    }
}

extension Bootstrap {
    /// The services with bcrypt at the configured cost.
    static func services(_ engines: PlaytestEngines, logger: Logger) -> Services {
        Services.standard(engines: engines, hasher: BcryptHasher(cost: engines.configuration.access.bcryptCost), logger: logger)
    }

    /// The engines and services for one command, closed afterwards; an error ends the command with `failure`, its
    /// description and nothing else.
    static func withServices(failure: String, _ body: (Services, Logger) async throws -> Void) async throws {
        let env = environment()
        let logger = logging(env)
        let engines = try await engines(try configuration(env), logger: logger)
        do {
            try await body(services(engines, logger: logger), logger)
        } catch {
            await engines.shutdown()
            throw StartupError(message: failure + Services.describe(error))
        }
        await engines.shutdown()
    }

    /// The administrator of `PLAYTEST_ADMIN_EMAIL`, created before the server listens, so it can sign in at once.
    static func configuredAdmin(_ services: Services, logger: Logger) async {
        do {
            try await services.accounts.ensureConfiguredAdmin()
        } catch {
            logger.error("PLAYTEST_ADMIN_EMAIL: \(Services.describe(error))")
        }
    }

    /// Says where to sign in, or, on an instance without users, where to create the administrator and the one-time
    /// token needed from another machine.
    static func announceSignIn(_ services: Services, url: String, setupToken: String, logger: Logger) async {
        do {
            if try await services.accounts.needsSetup() {
                logger.notice("no users yet: create the administrator at \(url)/setup (from this machine, or with setup token \(setupToken))")
            } else {
                logger.info("sign in at \(url)/login")
            }
        } catch {
            logger.error("accounts: \(Services.describe(error))")
        }
    }
}

struct StartupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
