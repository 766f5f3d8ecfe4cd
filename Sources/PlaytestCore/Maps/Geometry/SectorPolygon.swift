import Foundation

/// The outline of one sector, traced from the linedefs whose sides face it.
///
/// A sector may have several closed loops: outer boundaries (walked clockwise, interior on the right as
/// Doom defines a line's front side) and holes (walked counter-clockwise). Boundary pieces that do not
/// close are kept as open chains; a sector with open chains is unclosed.
public struct SectorPolygon: Sendable, Codable {
    public struct Loop: Sendable, Codable {
        public var points: [MapPoint]
        /// True when the loop encloses a hole (a pillar or an inner sector) rather than sector area.
        public var isHole: Bool
        /// Area enclosed by the loop (always ≥ 0).
        public var area: Double
    }

    public var sector: Int
    public var loops: [Loop]
    public var openChains: [[MapPoint]]
    /// Points where the sector's boundary does not close: as many lines arrive there as leave, for a closed sector.
    public var unclosedVertices: [MapPoint]
    /// Sector area: outer loops minus holes (never negative).
    public var area: Double

    public var isClosed: Bool { openChains.isEmpty && unclosedVertices.isEmpty }
}

/// Traces ``SectorPolygon``s from a map's linedefs and sidedefs.
enum SectorPolygonTracer {
    private struct Edge {
        var from: Int
        var to: Int
    }

    static func trace(_ map: DoomMap) -> [SectorPolygon] {
        // Vertices with identical coordinates are the same point for tracing.
        var canonical: [MapPoint: Int] = [:]
        var points: [MapPoint] = []
        var vertexID: [Int] = []
        vertexID.reserveCapacity(map.vertices.count)
        for vertex in map.vertices {
            let point = vertex.point
            if let id = canonical[point] {
                vertexID.append(id)
            } else {
                canonical[point] = points.count
                vertexID.append(points.count)
                points.append(point)
            }
        }
        var edgesBySector = [[Edge]](repeating: [], count: map.sectors.count)
        for line in map.linedefs {
            guard line.start >= 0, line.start < vertexID.count, line.end >= 0, line.end < vertexID.count else { continue }
            let start = vertexID[line.start]
            let end = vertexID[line.end]
            guard start != end else { continue }
            if let sector = map.sector(ofSide: line.frontSide) { edgesBySector[sector].append(Edge(from: start, to: end)) }
            if let sector = map.sector(ofSide: line.backSide) { edgesBySector[sector].append(Edge(from: end, to: start)) }
        }
        return edgesBySector.enumerated().map { sector, edges in
            tracePolygon(sector: sector, edges: edges, points: points)
        }
    }

    private static func tracePolygon(sector: Int, edges: [Edge], points: [MapPoint]) -> SectorPolygon {
        var balance: [Int: Int] = [:]
        for edge in edges {
            balance[edge.from, default: 0] += 1
            balance[edge.to, default: 0] -= 1
        }
        var fans = EdgeFans(from: edges.map(\.from), angle: edges.map { angle(points[$0.from], points[$0.to]) })
        let unclosed = balance.filter { $0.value != 0 }.keys.sorted().map { points[$0] }
        var used = [Bool](repeating: false, count: edges.count)
        var loops: [SectorPolygon.Loop] = []
        var chains: [[MapPoint]] = []
        var area = 0.0
        // Start open chains at their beginning (a vertex with more lines leaving than arriving), then trace the loops.
        let chainStarts = edges.indices.filter { (balance[edges[$0].from] ?? 0) > 0 }
        let order = chainStarts + edges.indices.filter { (balance[edges[$0].from] ?? 0) <= 0 }
        for first in order where !used[first] {
            used[first] = true
            fans.markUsed(first)
            var path = [edges[first].from]
            var current = first
            var closed = false
            while true {
                let vertex = edges[current].to
                let back = angle(points[vertex], points[edges[current].from])
                var best = fans.leastTurn(at: vertex, from: back)
                // The loop's first edge is used but may close the loop here.
                if edges[first].from == vertex, best.map({ fans.turn(from: back, to: first) <= fans.turn(from: back, to: $0) }) ?? true {
                    best = first
                }
                guard let next = best else { break }
                if next == first {
                    closed = true
                    break
                }
                used[next] = true
                fans.markUsed(next)
                path.append(vertex)
                current = next
            }
            let loopPoints = path.map { points[$0] }
            if closed {
                let signed = signedArea(loopPoints)
                area -= signed
                loops.append(SectorPolygon.Loop(points: loopPoints, isHole: signed > 0, area: abs(signed)))
            } else {
                chains.append(loopPoints + [points[edges[current].to]])
            }
        }
        return SectorPolygon(sector: sector, loops: loops, openChains: chains, unclosedVertices: unclosed, area: max(0, area))
    }

    @inline(__always)
    private static func angle(_ from: MapPoint, _ to: MapPoint) -> Double {
        atan2(to.y - from.y, to.x - from.x)
    }

    /// Shoelace area; positive for counter-clockwise loops (y up).
    static func signedArea(_ points: [MapPoint]) -> Double {
        guard points.count >= 3 else { return 0 }
        var sum = 0.0
        var previous = points[points.count - 1]
        for point in points {
            sum += previous.x * point.y - point.x * previous.y
            previous = point
        }
        return sum / 2
    }
}
