/// The moves between areas already kept, by (from area, to area, kind), so that of moves alike one is kept. An
/// open-addressing table with a multiplicative hash: `Set` hashes each triple with SipHash, which cost more than
/// the rest of building the areas; this one stores the whole triple, so it is exact all the same.
struct MoveSignatures {
    private var areas: [UInt64]
    private var kinds: [Int]
    private var used: [Bool]
    private let mask: Int

    /// Room for `capacity` signatures at most half full.
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        areas = [UInt64](repeating: 0, count: size)
        kinds = [Int](repeating: 0, count: size)
        used = [Bool](repeating: false, count: size)
        mask = size - 1
    }

    /// Adds the signature; false when it was already there.
    mutating func insert(from: Int, to: Int, kind: Int) -> Bool {
        let pair = UInt64(UInt32(truncatingIfNeeded: from)) << 32 | UInt64(UInt32(truncatingIfNeeded: to))
        var hash = (pair ^ UInt64(bitPattern: Int64(kind))) &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash >> 31
        var slot = Int(truncatingIfNeeded: hash) & mask
        while used[slot] {
            if areas[slot] == pair && kinds[slot] == kind { return false }
            slot = (slot + 1) & mask
        }
        used[slot] = true
        areas[slot] = pair
        kinds[slot] = kind
        return true
    }
}
