extension MemoryLiveStore {
    /// Applied under the actor's isolation with no suspension in between, so readers see the batch whole.
    public func write(_ batch: [LiveWrite]) async throws {
        for write in batch { try write.validate() }
        for write in batch { try apply(write) }
    }

    private func apply(_ write: LiveWrite) throws {
        switch write {
        case .set(let key, let value):
            entries[key] = Entry(value: .string(value), expiresAt: nil)
            expiring.remove(key)
        case .increment(let key, let amount):
            try incrementNow(key, by: amount)
        case .hashSet(let key, let fields):
            try hashSetNow(key, fields)
        case .hashSetIfAbsent(let key, let field, let value):
            if case .hash(let hash)? = liveEntry(key)?.value, hash[field] != nil { return }
            try hashSetNow(key, [field: value])
        case .setAdd(let key, let members):
            try setAddNow(key, members)
        case .delete(let key):
            entries[key] = nil
            expiring.remove(key)
        case .listPushCapped(let key, let values, let cap):
            try listPushNow(key, values, cap: cap)
        case .sortedSetAdd(let key, let members, let condition):
            guard !members.isEmpty else { return }
            var set = try sortedSetNow(key) ?? MemorySortedSet()
            for member in members where condition.replaces(set.scores[member.member], with: member.score) {
                set.set(member.member, score: member.score)
            }
            store(key, .sortedSet(set))
        case .sortedSetIncrement(let key, let member, let amount):
            var set = try sortedSetNow(key) ?? MemorySortedSet()
            set.set(member, score: (set.scores[member] ?? 0) + amount)
            store(key, .sortedSet(set))
        case .sortedSetKeepHighest(let key, let count):
            guard var set = try sortedSetNow(key), set.count > count else { return }
            for member in set.range(start: 0, stop: set.count - count - 1, descending: false) { set.remove(member.member) }
            store(key, .sortedSet(set))
        case .expire(let key, let ttl):
            guard liveEntry(key) != nil else { return }
            entries[key]?.expiresAt = .now + ttl
            expiring.insert(key)
        }
    }
}
