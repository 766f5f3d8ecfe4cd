import Foundation

/// The embedded live store: everything in this process's memory, gone at exit.
///
/// TTLs expire for real: an expired key is invisible from the moment it expires (checked on every
/// access) and its memory is reclaimed by a periodic sweep. Pub/sub fans out to in-process
/// subscribers, each with a bounded buffer that drops the oldest messages, so a slow subscriber never
/// blocks a publisher.
public actor MemoryLiveStore: LiveStore {
    enum Value: Sendable {
        case string(String)
        case hash([String: String])
        case list([String])
        case sortedSet(MemorySortedSet)
        case set(Set<String>)
    }

    struct Entry: Sendable {
        var value: Value
        var expiresAt: ContinuousClock.Instant?
    }

    public nonisolated let engineName = "memory"

    var entries: [String: Entry] = [:]
    /// Keys that carry a TTL, so the sweep only visits those.
    var expiring: Set<String> = []
    var subscribers: [UInt64: MemorySubscriber] = [:]
    var nextSubscriberID: UInt64 = 0
    let subscriberBufferSize: Int
    private var sweeper: Task<Void, Never>?

    /// - Parameters:
    ///   - sweepInterval: how often expired keys are reclaimed.
    ///   - subscriberBufferSize: messages a subscriber may have waiting before the oldest are dropped.
    public init(sweepInterval: Duration = .seconds(1), subscriberBufferSize: Int = 1024) {
        self.subscriberBufferSize = max(1, subscriberBufferSize)
        let interval = sweepInterval
        let task = Task { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self else { return }
                await self.sweepExpired()
            }
        }
        Task { [weak self] in await self?.adoptSweeper(task) }
    }

    deinit {
        sweeper?.cancel()
    }

    private func adoptSweeper(_ task: Task<Void, Never>) {
        sweeper = task
    }

    public func ping() async throws {}

    /// Stops the sweep and ends every subscription.
    public func shutdown() async {
        sweeper?.cancel()
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers.removeAll()
    }

    /// Keys currently held, expired or not (for tests of the sweep).
    var storedKeyCount: Int { entries.count }

    // MARK: expiry

    func sweepExpired() {
        let now = ContinuousClock.now
        for key in expiring {
            if let expiresAt = entries[key]?.expiresAt, expiresAt <= now {
                entries[key] = nil
                expiring.remove(key)
            } else if entries[key]?.expiresAt == nil {
                expiring.remove(key)
            }
        }
    }

    /// The live entry for `key`, removing it first if it has expired.
    func liveEntry(_ key: String) -> Entry? {
        guard let entry = entries[key] else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= .now {
            entries[key] = nil
            expiring.remove(key)
            return nil
        }
        return entry
    }

    /// Stores a value, keeping the key's TTL (like Redis does for in-place updates).
    func store(_ key: String, _ value: Value) {
        let expiresAt = liveEntry(key)?.expiresAt
        entries[key] = Entry(value: value, expiresAt: expiresAt)
    }

    // MARK: keys

    public func set(_ key: String, _ value: String, ttl: Duration?) async throws {
        if let ttl, ttl <= .zero { throw LiveStoreError.invalidArgument("TTL for '\(key)' must be positive, got \(ttl)") }
        let expiresAt = ttl.map { ContinuousClock.now + $0 }
        entries[key] = Entry(value: .string(value), expiresAt: expiresAt)
        if expiresAt != nil { expiring.insert(key) } else { expiring.remove(key) }
    }

    public func get(_ key: String) async throws -> String? {
        guard let entry = liveEntry(key) else { return nil }
        guard case .string(let value) = entry.value else { throw LiveStoreError.wrongType(key: key) }
        return value
    }

    public func get(_ keys: [String]) async throws -> [String?] {
        keys.map { key in
            guard let entry = liveEntry(key), case .string(let value) = entry.value else { return nil }
            return value
        }
    }

    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        var removed = 0
        for key in Set(keys) where liveEntry(key) != nil {
            entries[key] = nil
            expiring.remove(key)
            removed += 1
        }
        return removed
    }

    @discardableResult
    public func expire(_ key: String, ttl: Duration) async throws -> Bool {
        guard liveEntry(key) != nil else { return false }
        if ttl <= .zero {
            entries[key] = nil
            expiring.remove(key)
            return true
        }
        entries[key]?.expiresAt = .now + ttl
        expiring.insert(key)
        return true
    }

    public func ttl(_ key: String) async throws -> Duration? {
        guard let expiresAt = liveEntry(key)?.expiresAt else { return nil }
        return expiresAt - .now
    }

    // MARK: counters

    @discardableResult
    public func increment(_ key: String, by amount: Int) async throws -> Int {
        try incrementNow(key, by: amount)
    }

    @discardableResult
    func incrementNow(_ key: String, by amount: Int) throws -> Int {
        var current = 0
        if let entry = liveEntry(key) {
            guard case .string(let text) = entry.value else { throw LiveStoreError.wrongType(key: key) }
            guard let number = Int(text) else { throw LiveStoreError.notAnInteger(key: key) }
            current = number
        }
        let (sum, overflow) = current.addingReportingOverflow(amount)
        guard !overflow else { throw LiveStoreError.notAnInteger(key: key) }
        store(key, .string(String(sum)))
        return sum
    }

    // MARK: hashes

    public func hashSet(_ key: String, _ fields: [String: String]) async throws {
        try hashSetNow(key, fields)
    }

    func hashSetNow(_ key: String, _ fields: [String: String]) throws {
        guard !fields.isEmpty else { return }
        var hash: [String: String] = [:]
        if let entry = liveEntry(key) {
            guard case .hash(let existing) = entry.value else { throw LiveStoreError.wrongType(key: key) }
            hash = existing
        }
        hash.merge(fields) { _, new in new }
        store(key, .hash(hash))
    }

    public func hashGetAll(_ key: String) async throws -> [String: String] {
        guard let entry = liveEntry(key) else { return [:] }
        guard case .hash(let hash) = entry.value else { throw LiveStoreError.wrongType(key: key) }
        return hash
    }

    // MARK: capped lists

    public func listPushCapped(_ key: String, _ values: [String], cap: Int) async throws {
        guard cap > 0 else { throw LiveStoreError.invalidArgument("list cap for '\(key)' must be at least 1, got \(cap)") }
        try listPushNow(key, values, cap: cap)
    }

    func listPushNow(_ key: String, _ values: [String], cap: Int) throws {
        var list: [String] = []
        if let entry = liveEntry(key) {
            guard case .list(let existing) = entry.value else { throw LiveStoreError.wrongType(key: key) }
            list = existing
        }
        guard !values.isEmpty else { return }
        list.insert(contentsOf: values.reversed(), at: 0)
        if list.count > cap { list.removeLast(list.count - cap) }
        store(key, .list(list))
    }

    public func listRange(_ key: String, start: Int, stop: Int) async throws -> [String] {
        guard let entry = liveEntry(key) else { return [] }
        guard case .list(let list) = entry.value else { throw LiveStoreError.wrongType(key: key) }
        guard let range = liveIndexRange(count: list.count, start: start, stop: stop) else { return [] }
        return Array(list[range])
    }
}
