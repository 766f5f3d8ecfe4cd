/// Decorations that block the player (Doom and Doom II editor numbers), with their radius. Monsters are left
/// out on purpose: they move and die, so the graph routes through them and the agent fights them.
enum SolidDecorations {
    struct Entry {
        let radius: Double
        /// Spawned on the ceiling: it blocks only where the ceiling is low enough to reach the player.
        let hangs: Bool
        let height: Double
    }

    static func entry(for type: Int) -> Entry? { table[type] }

    private static let table: [Int: Entry] = {
        var table: [Int: Entry] = [:]
        for type in [2028, 30, 31, 32, 33, 36, 37, 41, 42, 43, 44, 45, 46, 47, 48, 55, 56, 57, 85, 86, 70, 25, 26, 27, 28, 29, 35] {
            table[type] = Entry(radius: 16, hangs: false, height: 16)
        }
        table[2035] = Entry(radius: 10, hangs: false, height: 42)   // barrel
        table[54] = Entry(radius: 32, hangs: false, height: 16)     // large brown tree
        for (type, height) in [(49, 68.0), (50, 84), (51, 84), (52, 68), (53, 52), (73, 88), (74, 88), (75, 64), (76, 64), (77, 64), (78, 64)] {
            table[type] = Entry(radius: 16, hangs: true, height: height)
        }
        return table
    }()
}
