import ArgumentParser
import Foundation
import PlaytestServices

/// `playtest live rebuild`: restores the live store's leaderboards and running agents' sessions from SQL.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Manage the live state (Redis, or in-process).",
        subcommands: [Rebuild.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild every leaderboard and the running agents' session keys from SQL.",
            discussion: "Safe at any time: it writes SQL's records again. `serve` also does it by itself when Redis comes back empty.")

        func run() async throws {
            try await CommandLineAccounts.with { services in
                guard services.engines.live.engineName != "memory" else {
                    print("the live state is in-process (no REDIS_URL): each `serve` rebuilds its own at start; nothing to do here")
                    return
                }
                let started = ContinuousClock.now
                let report = try await services.liveRebuild.rebuild()
                print("rebuilt \(report.boards) leaderboard(s) and \(report.sessions) running agent session(s) in Redis in \(ContinuousClock.now - started)")
            }
        }
    }
}
