/// A sorted set ordered like Redis: by score, ties broken by the member's bytes.
struct MemorySortedSet: Sendable {
    private(set) var scores: [String: Double] = [:]
    /// Ascending by (score, member bytes).
    private(set) var ordered: [ScoredMember] = []

    var count: Int { ordered.count }
    var isEmpty: Bool { ordered.isEmpty }

    /// Sets a member's score; returns true when the member is new.
    @discardableResult
    mutating func set(_ member: String, score: Double) -> Bool {
        let isNew = scores[member] == nil
        if let old = scores[member] {
            ordered.remove(at: position(of: ScoredMember(member: member, score: old)))
        }
        scores[member] = score
        let entry = ScoredMember(member: member, score: score)
        ordered.insert(entry, at: position(of: entry))
        return isNew
    }

    @discardableResult
    mutating func remove(_ member: String) -> Bool {
        guard let score = scores.removeValue(forKey: member) else { return false }
        ordered.remove(at: position(of: ScoredMember(member: member, score: score)))
        return true
    }

    func rank(of member: String, descending: Bool) -> Int? {
        guard let score = scores[member] else { return nil }
        let ascending = position(of: ScoredMember(member: member, score: score))
        return descending ? ordered.count - 1 - ascending : ascending
    }

    func range(start: Int, stop: Int, descending: Bool) -> [ScoredMember] {
        guard let range = liveIndexRange(count: ordered.count, start: start, stop: stop) else { return [] }
        if descending {
            // Rank i from the top is index count - 1 - i; no copy of the whole set per read.
            return range.map { ordered[ordered.count - 1 - $0] }
        }
        return Array(ordered[range])
    }

    func range(min: Double, max: Double, limit: Int?) -> [ScoredMember] {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if ordered[middle].score < min { low = middle + 1 } else { high = middle }
        }
        var result: [ScoredMember] = []
        var index = low
        while index < ordered.count, ordered[index].score <= max {
            if let limit, result.count >= limit { break }
            result.append(ordered[index])
            index += 1
        }
        return result
    }

    /// Index of `entry` if present, else where it belongs (binary search).
    private func position(of entry: ScoredMember) -> Int {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(ordered[middle], entry) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func precedes(_ left: ScoredMember, _ right: ScoredMember) -> Bool {
        if left.score != right.score { return left.score < right.score }
        return left.member.utf8.lexicographicallyPrecedes(right.member.utf8)
    }
}
