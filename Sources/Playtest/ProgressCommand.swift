import ArgumentParser
import Foundation
import PlaytestServices

/// `playtest progress rollups`: recomputes the player-progress analytics roll-ups from the event log.
struct ProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Manage players' progress (seed 002).",
        subcommands: [Rollups.self]
    )

    struct Rollups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the analytics roll-ups from the event log.",
            discussion: "Every append keeps them; run this after loading events straight into SQL (an import, a benchmark's seed).")

        func run() async throws {
            try await CommandLineAccounts.with { services in
                let started = ContinuousClock.now
                try await services.playerAnalytics.rebuildRollups()
                print("recomputed the player-progress roll-ups in \(ContinuousClock.now - started)")
            }
        }
    }
}
