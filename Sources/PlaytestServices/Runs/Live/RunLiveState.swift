import Foundation
import PlaytestCore
import PlaytestStorage

/// Live state per run in the `LiveStore` (docs/runs.md): the `run:<id>:live` hash, the
/// `run:<id>:heartbeat` key with a 15 s TTL, and the WebSocket messages on channel `run:<id>`
/// (`run_status` also on `runs`). Everything here may be lost; SQL stays the truth.
public struct RunLiveState: Sendable {
    public static let heartbeatTTL: Duration = .seconds(15)
    /// The hash outlives its run by a day at most, so abandoned runs do not pile up.
    public static let hashTTL: Duration = .seconds(86_400)
    public static let statusChannel = "runs"

    let live: any LiveStore

    public init(live: any LiveStore) {
        self.live = live
    }

    public static func channel(runID: String) -> String { "run:\(runID)" }
    static func hashKey(runID: String) -> String { "run:\(runID):live" }
    static func heartbeatKey(runID: String) -> String { "run:\(runID):heartbeat" }

    /// Writes the hash and the heartbeat (TTL 15 s).
    public func update(runID: String, _ snapshot: LiveRunSnapshot) async throws {
        let key = Self.hashKey(runID: runID)
        try await live.hashSet(key, snapshot.hashFields)
        try await live.expire(key, ttl: Self.hashTTL)
        try await live.set(Self.heartbeatKey(runID: runID), JSONTimestamp.format(snapshot.updatedAt), ttl: Self.heartbeatTTL)
    }

    /// nil when absent.
    public func read(runID: String) async throws -> LiveRunSnapshot? {
        LiveRunSnapshot(hashFields: try await live.hashGetAll(Self.hashKey(runID: runID)))
    }

    /// True while a worker has updated the run within the heartbeat TTL.
    public func heartbeatAlive(runID: String) async throws -> Bool {
        try await live.get(Self.heartbeatKey(runID: runID)) != nil
    }

    /// Removes the hash and the heartbeat.
    public func clear(runID: String) async throws {
        try await live.delete([Self.hashKey(runID: runID), Self.heartbeatKey(runID: runID)])
    }

    /// Publishes on `run:<id>`; a `run_status` notice also goes to `runs`.
    public func publish(runID: String, _ message: RunLiveMessage) async throws {
        let text = message.json()
        try await live.publish(Self.channel(runID: runID), text)
        if case .runStatus = message {
            try await live.publish(Self.statusChannel, text)
        }
    }

    /// Messages of the given runs' channels, published after this returns.
    public func subscribe(runIDs: [String]) async throws -> LiveFeed {
        LiveFeed(try await live.subscribe(runIDs.map { Self.channel(runID: $0) }))
    }
}
