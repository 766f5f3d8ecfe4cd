import Foundation

extension MemoryLiveStore {
    /// The same buckets as Redis's script, each held as a hash (`tokens`, `at`) that expires once it is full again.
    public func takeTokens(_ buckets: [TokenBucket]) async throws -> [TokenBucketResult] {
        for bucket in buckets { try bucket.validate() }
        let now = Date().timeIntervalSince1970
        var levels: [Double] = []
        for bucket in buckets {
            var tokens = Double(bucket.capacity)
            if let entry = liveEntry(bucket.key) {
                guard case .hash(let fields) = entry.value else { throw LiveStoreError.wrongType(key: bucket.key) }
                let at = fields["at"].flatMap(Double.init) ?? now
                tokens = min(Double(bucket.capacity), (fields["tokens"].flatMap(Double.init) ?? tokens) + max(0, now - at) * bucket.perSecond)
            }
            levels.append(tokens)
        }
        let allowed = levels.allSatisfy { $0 >= 1 }
        return zip(buckets, levels).map { bucket, level in
            let tokens = allowed ? level - 1 : level
            entries[bucket.key] = Entry(
                value: .hash(["tokens": String(tokens), "at": String(now)]),
                expiresAt: .now + .seconds((Double(bucket.capacity) - tokens) / bucket.perSecond + 1))
            expiring.insert(bucket.key)
            return TokenBucketResult(allowed: allowed, tokens: tokens, capacity: bucket.capacity, perSecond: bucket.perSecond)
        }
    }
}
