import Foundation

extension MemoryLiveStore {
    /// The same bucket as Redis's script, held as a hash (`tokens`, `at`) that expires once the bucket is full again.
    public func takeToken(_ key: String, capacity: Int, perSecond: Double) async throws -> TokenBucketResult {
        guard capacity > 0, perSecond > 0 else {
            throw LiveStoreError.invalidArgument("a token bucket needs a positive capacity and rate, got \(capacity) and \(perSecond)")
        }
        let now = Date().timeIntervalSince1970
        var tokens = Double(capacity)
        if let entry = liveEntry(key) {
            guard case .hash(let fields) = entry.value else { throw LiveStoreError.wrongType(key: key) }
            let at = fields["at"].flatMap(Double.init) ?? now
            tokens = min(Double(capacity), (fields["tokens"].flatMap(Double.init) ?? tokens) + max(0, now - at) * perSecond)
        }
        let allowed = tokens >= 1
        if allowed { tokens -= 1 }
        entries[key] = Entry(
            value: .hash(["tokens": String(tokens), "at": String(now)]),
            expiresAt: .now + .seconds((Double(capacity) - tokens) / perSecond + 1))
        expiring.insert(key)
        return TokenBucketResult(allowed: allowed, tokens: tokens, capacity: capacity, perSecond: perSecond)
    }
}
