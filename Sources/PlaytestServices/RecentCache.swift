/// The values most recently used, up to a capacity, kept in this process: what is costly to compute and can no
/// longer change once computed (a parsed map; the picture of a finished run).
public actor RecentCache<Value: Sendable> {
    public let capacity: Int
    private var entries: [String: Value] = [:]
    /// Keys, least recently used first.
    private var order: [String] = []

    public init(capacity: Int) { self.capacity = capacity }

    public func get(_ key: String) -> Value? {
        guard let value = entries[key] else { return nil }
        order.removeAll { $0 == key }
        order.append(key)
        return value
    }

    public func put(_ value: Value, for key: String) {
        if entries[key] == nil { order.append(key) }
        entries[key] = value
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }

    /// Drops every value whose key starts with `prefix`.
    public func forget(prefix: String) {
        for key in order where key.hasPrefix(prefix) { entries[key] = nil }
        order.removeAll { $0.hasPrefix(prefix) }
    }
}
