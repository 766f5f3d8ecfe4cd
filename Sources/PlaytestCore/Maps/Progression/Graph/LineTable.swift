/// Per line, flat for the graph builder's walks (reading a `Linedef` or a `LineAction` copies its arrays and
/// strings): the ends (NaN when unusable), the length (0 when unusable), the front and back sectors (-1: none),
/// and whether the player may never cross it. A class: a walk holds one reference to it instead of retaining and
/// releasing each array, millions of times per map.
final class LineTable {
    let ax: [Double], ay: [Double], bx: [Double], by: [Double]
    let length: [Double]
    let front: [Int32], back: [Int32]
    let isWall: [Bool]

    init(map: DoomMap, lineEnds: [(MapPoint, MapPoint)?], isWall: [Bool]) {
        ax = lineEnds.map { $0?.0.x ?? .nan }
        ay = lineEnds.map { $0?.0.y ?? .nan }
        bx = lineEnds.map { $0?.1.x ?? .nan }
        by = lineEnds.map { $0?.1.y ?? .nan }
        length = lineEnds.map { ends in
            ends.map { ((($0.1.x - $0.0.x) * ($0.1.x - $0.0.x) + ($0.1.y - $0.0.y) * ($0.1.y - $0.0.y))).squareRoot() } ?? 0
        }
        front = map.linedefs.map { Int32(map.sector(ofSide: $0.frontSide) ?? -1) }
        back = map.linedefs.map { Int32(map.sector(ofSide: $0.backSide) ?? -1) }
        self.isWall = isWall
    }
}
