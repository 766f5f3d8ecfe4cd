/// Applies a special's effect to the modelled sector heights, with Doom's rules for where each motion ends
/// (doors open to the lowest neighbouring ceiling − 4, lifts visit the lowest neighbouring floor, stairs follow
/// the sectors behind the first one).
struct HeightEffects {
    let map: DoomMap
    let neighbours: [[Int]]
    /// Per sector: whether every player action that lowers it as a lift is a use from a floor more than a step below
    /// the lift's resting floor (a switch at the lift's foot): a player on top of the lift cannot set it off.
    let lowersOnlyFromBelow: [Bool]

    init(model: ProgressionModel) {
        map = model.map
        neighbours = model.neighbours
        var fromBelow = [Bool?](repeating: nil, count: model.map.sectors.count)
        for (index, action) in model.actions.enumerated() {
            guard let action, action.byPlayer, case .lift(let visits) = action.effect else { continue }
            let line = model.map.linedefs[index]
            for sector in model.targets(ofLine: index) {
                var below = false
                if visits.count == 1, action.activation == .use || action.activation == .push,
                   let front = model.map.sector(ofSide: line.frontSide), front != sector,
                   model.map.sectors[front].floorHeight < model.map.sectors[sector].floorHeight - SectorHeights.stepHeight {
                    below = true
                }
                fromBelow[sector] = (fromBelow[sector] ?? true) && below
            }
        }
        lowersOnlyFromBelow = fromBelow.map { $0 ?? false }
    }

    /// Changes `heights` for every target sector; returns the sectors whose heights changed. Every target's
    /// destination is worked out from the heights before any of them moves, as the engine starts them all at once.
    @discardableResult
    func apply(_ effect: SpecialEffect, to targets: [Int], heights: inout SectorHeights) -> [Int] {
        let start = heights
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
                    let top = resolve(.lowestNeighbourCeiling, sector: s, ceiling: true, heights: start) - 4
                    setCeiling(s, max(top, start.ceilings[s]))
                case .close: setCeiling(s, heights.floors[s])
                case .closeWaitOpen: break
                }
            }
        case .floor(let target):
            for s in targets { setFloor(s, min(resolve(target, sector: s, ceiling: false, heights: start), max(start.ceilings[s], start.floors[s]))) }
        case .ceiling(let target):
            for s in targets { setCeiling(s, max(resolve(target, sector: s, ceiling: true, heights: start), start.floors[s])) }
        case .lift(let visits):
            for s in targets {
                let before = heights.visits[s]
                for visit in visits {
                    heights.addVisit(s, resolve(visit, sector: s, ceiling: false, heights: start), boardOnly: lowersOnlyFromBelow[s])
                }
                if heights.visits[s] != before { changed.append(s) }
            }
        case .elevator(let target):
            for s in targets {
                let floor = resolve(target, sector: s, ceiling: false, heights: start)
                let delta = floor - heights.floors[s]
                setFloor(s, floor)
                setCeiling(s, heights.ceilings[s] + delta)
            }
        case .stairs(let step):
            var heightOf: [Int: Double] = [:]
            for first in targets where heightOf[first] == nil {
                var height = heights.floors[first]
                for sector in Self.stairChain(from: [first], map: map) where heightOf[sector] == nil {
                    height += step
                    heightOf[sector] = height
                }
            }
            for (sector, height) in heightOf { setFloor(sector, height) }
        case .donut:
            for pillar in targets {
                guard let ring = neighbours[pillar].first,
                      let outer = neighbours[ring].first(where: { $0 != pillar }) else { continue }
                setFloor(ring, heights.floors[outer])
                setFloor(pillar, heights.floors[outer])
            }
        case .combined(let parts):
            // One motion after the other (W1 40 moves the ceiling and the floor: neither depends on the other).
            for part in parts { changed += apply(part, to: targets, heights: &heights) }
        case .crusher, .teleport, .exit, .cosmetic, .script, .unknown:
            break
        }
        return changed
    }

    /// The sectors a staircase raises, in order from each first step: Doom follows, from each step, a two-sided
    /// line whose front is that step to a sector behind it with the same floor texture.
    static func stairChain(from firsts: [Int], map: DoomMap) -> [Int] {
        var front = [Int: [Int]]()
        for line in map.linedefs {
            guard let f = map.sector(ofSide: line.frontSide), let b = map.sector(ofSide: line.backSide) else { continue }
            front[f, default: []].append(b)
        }
        var chain: [Int] = []
        var seen = Set<Int>()
        for first in firsts where seen.insert(first).inserted {
            chain.append(first)
            var sector = first
            let texture = map.sectors[first].floorTexture
            while let next = (front[sector] ?? []).first(where: { !seen.contains($0) && map.sectors[$0].floorTexture == texture }) {
                seen.insert(next)
                chain.append(next)
                sector = next
            }
        }
        return chain
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
