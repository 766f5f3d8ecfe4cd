import PlaytestCore

extension RunLiveState {
    static func stoppingKey(runID: String) -> String { "run:\(runID):stopping" }

    /// Every run's `run_status` notices (channel `runs`), for live lists.
    public func subscribeToStatus() async throws -> LiveFeed {
        LiveFeed(try await live.subscribe([Self.statusChannel]))
    }

    /// Notes that a stop was asked for, so the live status says `stopping` until the worker has wound the agent
    /// down (its own updates would otherwise still say `running`).
    public func markStopping(runID: String) async throws {
        try await live.set(Self.stoppingKey(runID: runID), "1", ttl: .seconds(600))
    }

    /// The hash of a run a worker is playing right now: present, `running`, heartbeat alive and no stop asked
    /// for. Anything else is for SQL to answer.
    func playing(runID: String) async throws -> LiveRunSnapshot? {
        guard let snapshot = try await read(runID: runID), snapshot.status == .running,
              try await heartbeatAlive(runID: runID),
              try await live.get(Self.stoppingKey(runID: runID)) == nil else { return nil }
        return snapshot
    }
}
