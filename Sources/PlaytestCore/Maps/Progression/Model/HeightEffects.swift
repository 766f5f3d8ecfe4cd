/// Applies a special's effect to the modelled sector heights, with Doom's rules for where each motion ends
/// (doors open to the lowest neighbouring ceiling − 4, lifts visit the lowest neighbouring floor, stairs follow
/// the sectors behind the first one).
struct HeightEffects {
    let map: DoomMap
    let neighbours: [[Int]]
    /// Lines of each sector where it is the front side and the line is two-sided (for stairs and donuts).
    let frontLines: [[Int]]

    init(model: ProgressionModel) {
        map = model.map
        neighbours = model.neighbours
        var front = [[Int]](repeating: [], count: model.map.sectors.count)
        for (index, line) in model.map.linedefs.enumerated() {
            guard let f = model.map.sector(ofSide: line.frontSide), model.map.sector(ofSide: line.backSide) != nil else { continue }
            front[f].append(index)
        }
        frontLines = front
    }

    /// Changes `heights` for every target sector; returns the sectors whose heights changed.
    @discardableResult
    func apply(_ effect: SpecialEffect, to targets: [Int], heights: inout SectorHeights) -> [Int] {
        var changed: [Int] = []
        func setFloor(_ s: Int, _ h: Double) {
            if heights.floors[s] != h || !heights.visits[s].isEmpty { heights.setFloor(s, h); changed.append(s) }
        }
        func setCeiling(_ s: Int, _ h: Double) {
            if heights.ceilings[s] != h { heights.setCeiling(s, h); changed.append(s) }
        }
        switch effect {
        case .door(let motion):
            for s in targets {
                switch motion {
                case .open, .raise:
                    let top = resolve(.lowestNeighbourCeiling, sector: s, ceiling: true, heights: heights) - 4
                    setCeiling(s, max(top, heights.ceilings[s]))
                case .close: setCeiling(s, heights.floors[s])
                case .closeWaitOpen: break
                }
            }
        case .floor(let target):
            for s in targets { setFloor(s, min(resolve(target, sector: s, ceiling: false, heights: heights), max(heights.ceilings[s], heights.floors[s]))) }
        case .ceiling(let target):
            for s in targets { setCeiling(s, max(resolve(target, sector: s, ceiling: true, heights: heights), heights.floors[s])) }
        case .lift(let visits):
            for s in targets {
                let before = heights.visits[s]
                for visit in visits { heights.addVisit(s, resolve(visit, sector: s, ceiling: false, heights: heights)) }
                if heights.visits[s] != before { changed.append(s) }
            }
        case .elevator(let target):
            for s in targets {
                let floor = resolve(target, sector: s, ceiling: false, heights: heights)
                let delta = floor - heights.floors[s]
                setFloor(s, floor)
                setCeiling(s, heights.ceilings[s] + delta)
            }
        case .stairs(let step):
            var built = Set<Int>()
            for first in targets where !built.contains(first) {
                var sector = first
                var height = heights.floors[sector] + step
                let texture = map.sectors[sector].floorTexture
                setFloor(sector, height)
                built.insert(sector)
                while let next = frontLines[sector].lazy.compactMap({ self.map.sector(ofSide: self.map.linedefs[$0].backSide) })
                    .first(where: { !built.contains($0) && self.map.sectors[$0].floorTexture == texture }) {
                    height += step
                    setFloor(next, height)
                    built.insert(next)
                    sector = next
                }
            }
        case .donut:
            for pillar in targets {
                guard let ring = neighbours[pillar].first,
                      let outer = neighbours[ring].first(where: { $0 != pillar }) else { continue }
                setFloor(ring, heights.floors[outer])
                setFloor(pillar, heights.floors[outer])
            }
        case .crusher, .teleport, .exit, .cosmetic, .script, .unknown:
            break
        }
        return changed
    }

    /// The height a plane moves to, from the heights at the moment it starts.
    func resolve(_ target: Height, sector s: Int, ceiling: Bool, heights: SectorHeights) -> Double {
        let floors = neighbours[s].map { heights.floors[$0] }
        let ceilings = neighbours[s].map { heights.ceilings[$0] }
        let ownFloor = heights.floors[s], ownCeiling = heights.ceilings[s]
        switch target {
        case .lowestNeighbourFloor: return min(ownFloor, floors.min() ?? ownFloor)
        case .highestNeighbourFloor: return floors.max() ?? ownFloor
        case .highestNeighbourFloorPlus8:
            let highest = floors.max() ?? ownFloor
            return highest == ownFloor ? highest : highest + 8
        case .nextHigherNeighbourFloor: return floors.filter { $0 > ownFloor }.min() ?? ownFloor
        case .nextLowerNeighbourFloor: return floors.filter { $0 < ownFloor }.max() ?? ownFloor
        case .lowestNeighbourCeiling: return ceilings.min() ?? ownCeiling
        case .lowestNeighbourCeilingMinus8: return min(ceilings.min() ?? ownCeiling, ownCeiling) - 8
        case .highestNeighbourCeiling: return ceilings.max() ?? ownCeiling
        case .nextHigherNeighbourCeiling: return ceilings.filter { $0 > ownCeiling }.min() ?? ownCeiling
        case .nextLowerNeighbourCeiling: return ceilings.filter { $0 < ownCeiling }.max() ?? ownCeiling
        case .ownFloor: return ownFloor
        case .ownFloorPlus8: return ownFloor + 8
        case .ownCeiling: return ownCeiling
        case .by(let delta): return (ceiling ? ownCeiling : ownFloor) + delta
        case .absolute(let height): return height
        case .shortestLowerTexture: return ownFloor + 64
        }
    }
}
