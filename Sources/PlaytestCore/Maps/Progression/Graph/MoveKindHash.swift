/// A 64-bit hash of what makes moves alike (`NavigationGraph.moveKinds`): their sectors in order, touches, walk-over
/// lines and one-way rule. Each value is folded in through splitmix64's mixer, which spreads every bit of the state
/// over all 64; two different signatures meet only by the same chance as with `Hasher`, whose SipHash (called
/// through the standard library for each value) cost more than the rest of the graph's tables. Fixed seed: the same
/// graph gets the same kinds in every run.
struct MoveKindHash {
    private var state: UInt64 = 0x243F_6A88_85A3_08D3

    @inline(__always)
    mutating func combine(_ value: Int) {
        state = Self.mix(state &+ 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(value)))
    }

    var value: Int { Int(truncatingIfNeeded: Self.mix(state)) }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
