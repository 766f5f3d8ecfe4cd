import Foundation
import Logging
import Synchronization
import PlaytestStorage

/// API keys and users as the database last said, kept in this process so a request with a key or token costs no
/// query (bench/results/accounts.md). Exact because every change to an account empties it: at once on the instance
/// that made the change, and on every other `serve` through the live store's `accounts:changed` channel. While that
/// channel is not subscribed (the live store down), nothing is served from the cache. Entries also lapse after
/// `lifetime`, a safety net.
final class CredentialCache: Sendable {
    struct Entry<Value> {
        var value: Value
        var storedAt: ContinuousClock.Instant
    }

    struct State {
        var keys: [String: Entry<(key: APIKeyRecord, user: UserRecord)>] = [:]
        var users: [String: Entry<UserRecord>] = [:]
        /// True while the invalidation channel is subscribed.
        var listening = false
        var listener: Task<Void, Never>?
    }

    static let channel = "accounts:changed"
    let lifetime: Duration
    let capacity = 10_000
    let live: any LiveStore
    let logger: Logger
    let state = Mutex(State())

    init(live: any LiveStore, logger: Logger, lifetime: Duration = .seconds(30)) {
        self.live = live
        self.logger = logger
        self.lifetime = lifetime
    }

    deinit {
        state.withLock { $0.listener?.cancel() }
    }

    func apiKey(hash: String) -> (key: APIKeyRecord, user: UserRecord)? {
        listen()
        return state.withLock { state in state.listening ? fresh(state.keys[hash]) : nil }
    }

    func store(apiKey hash: String, _ found: (key: APIKeyRecord, user: UserRecord)) {
        state.withLock { state in
            guard state.listening else { return }
            if state.keys.count >= capacity { state.keys.removeAll() }
            state.keys[hash] = Entry(value: found, storedAt: .now)
        }
    }

    func user(id: String) -> UserRecord? {
        listen()
        return state.withLock { state in state.listening ? fresh(state.users[id]) : nil }
    }

    func store(user: UserRecord) {
        state.withLock { state in
            guard state.listening else { return }
            if state.users.count >= capacity { state.users.removeAll() }
            state.users[user.id] = Entry(value: user, storedAt: .now)
        }
    }

    /// After any change to a user or a key: empties this cache and tells every other instance to empty theirs.
    func changed() async {
        forget()
        do {
            try await live.publish(Self.channel, "changed")
        } catch {
            // The others stop serving from their caches when they lose the channel too.
            logger.warning("could not announce an account change: \(error)")
        }
    }

    private func forget() {
        state.withLock { state in
            state.keys.removeAll()
            state.users.removeAll()
        }
    }

    private func fresh<Value>(_ entry: Entry<Value>?) -> Value? {
        guard let entry, ContinuousClock.now - entry.storedAt < lifetime else { return nil }
        return entry.value
    }

    /// Subscribes to the channel once; resubscribes after the live store comes back.
    private func listen() {
        let start = state.withLock { state -> Bool in
            guard state.listener == nil else { return false }
            state.listener = Task { [weak self] in await self?.follow() }
            return true
        }
        _ = start
    }

    private func follow() async {
        while !Task.isCancelled {
            do {
                let subscription = try await live.subscribe([Self.channel])
                state.withLock { $0.listening = true }
                for await _ in subscription.messages { forget() }
                await subscription.cancel()
            } catch {
                logger.debug("account changes channel unavailable: \(error)")
            }
            state.withLock { $0.listening = false }
            forget()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
