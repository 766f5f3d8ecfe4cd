/// The par times the Doom engine shows on the intermission screen, in seconds, by map lump: Doom's E1–E3 and Doom
/// II's MAP01–MAP32 (Freedoom uses the same slots). A map in another slot has no known par.
public enum ParTimes {
    private static let episodes: [[Int]] = [
        [30, 75, 120, 90, 165, 180, 180, 30, 165],
        [90, 90, 90, 120, 90, 360, 240, 30, 170],
        [90, 45, 90, 150, 90, 90, 165, 30, 135],
    ]
    private static let maps: [Int] = [
        30, 90, 120, 120, 90, 150, 120, 120, 270, 90,
        210, 150, 150, 150, 210, 150, 420, 150, 210, 150,
        240, 150, 180, 150, 150, 300, 330, 420, 300, 180,
        120, 30,
    ]

    /// Seconds, or nil when the map is not in a slot with a par.
    public static func seconds(map: String) -> Int? {
        let name = Array(map.uppercased())
        if name.count == 4, name[0] == "E", name[2] == "M", let episode = name[1].wholeNumberValue,
           let slot = name[3].wholeNumberValue, (1...3).contains(episode), (1...9).contains(slot) {
            return episodes[episode - 1][slot - 1]
        }
        if name.count == 5, String(name.prefix(3)) == "MAP", let slot = Int(String(name.dropFirst(3))), (1...32).contains(slot) {
            return maps[slot - 1]
        }
        return nil
    }
}
