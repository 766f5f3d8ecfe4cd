extension MemoryLiveStore {
    func sortedSetNow(_ key: String) throws -> MemorySortedSet? {
        guard let entry = liveEntry(key) else { return nil }
        guard case .sortedSet(let set) = entry.value else { throw LiveStoreError.wrongType(key: key) }
        return set
    }

    private func plainSet(_ key: String) throws -> Set<String>? {
        guard let entry = liveEntry(key) else { return nil }
        guard case .set(let set) = entry.value else { throw LiveStoreError.wrongType(key: key) }
        return set
    }

    /// Stores a collection, or deletes the key when it became empty (as Redis does).
    private func storeCollection(_ key: String, _ value: Value, isEmpty: Bool) {
        if isEmpty {
            entries[key] = nil
            expiring.remove(key)
        } else {
            store(key, value)
        }
    }

    // MARK: sorted sets

    public func sortedSetAdd(_ key: String, member: String, score: Double) async throws {
        guard !score.isNaN else { throw LiveStoreError.invalidArgument("score for '\(member)' is not a number") }
        var set = try sortedSetNow(key) ?? MemorySortedSet()
        set.set(member, score: score)
        store(key, .sortedSet(set))
    }

    @discardableResult
    public func sortedSetIncrement(_ key: String, member: String, by amount: Double) async throws -> Double {
        var set = try sortedSetNow(key) ?? MemorySortedSet()
        let score = (set.scores[member] ?? 0) + amount
        guard !score.isNaN else { throw LiveStoreError.invalidArgument("increment of '\(member)' gives a non-number") }
        set.set(member, score: score)
        store(key, .sortedSet(set))
        return score
    }

    public func sortedSetScore(_ key: String, member: String) async throws -> Double? {
        try sortedSetNow(key)?.scores[member]
    }

    public func sortedSetCount(_ key: String) async throws -> Int {
        try sortedSetNow(key)?.count ?? 0
    }

    public func sortedSetRank(_ key: String, member: String, descending: Bool) async throws -> Int? {
        try sortedSetNow(key)?.rank(of: member, descending: descending)
    }

    public func sortedSetRange(_ key: String, start: Int, stop: Int, descending: Bool) async throws -> [ScoredMember] {
        try sortedSetNow(key)?.range(start: start, stop: stop, descending: descending) ?? []
    }

    public func sortedSetRangeByScore(_ key: String, min: Double, max: Double, limit: Int?) async throws -> [ScoredMember] {
        let limit = limit.flatMap { $0 < 0 ? nil : $0 }
        return try sortedSetNow(key)?.range(min: min, max: max, limit: limit) ?? []
    }

    @discardableResult
    public func sortedSetRemove(_ key: String, members: [String]) async throws -> Int {
        guard var set = try sortedSetNow(key) else { return 0 }
        let removed = Set(members).filter { set.remove($0) }.count
        storeCollection(key, .sortedSet(set), isEmpty: set.isEmpty)
        return removed
    }

    // MARK: sets

    @discardableResult
    public func setAdd(_ key: String, members: [String]) async throws -> Int {
        try setAddNow(key, members)
    }

    @discardableResult
    func setAddNow(_ key: String, _ members: [String]) throws -> Int {
        var set = try plainSet(key) ?? []
        guard !members.isEmpty else { return 0 }
        let added = members.filter { set.insert($0).inserted }.count
        store(key, .set(set))
        return added
    }

    @discardableResult
    public func setRemove(_ key: String, members: [String]) async throws -> Int {
        guard var set = try plainSet(key) else { return 0 }
        let removed = Set(members).filter { set.remove($0) != nil }.count
        storeCollection(key, .set(set), isEmpty: set.isEmpty)
        return removed
    }

    public func setContains(_ key: String, member: String) async throws -> Bool {
        try plainSet(key)?.contains(member) ?? false
    }

    public func setMembers(_ key: String) async throws -> Set<String> {
        try plainSet(key) ?? []
    }
}
