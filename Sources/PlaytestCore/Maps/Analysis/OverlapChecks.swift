import Foundation

/// Vertices at the same spot, lines lying on top of each other, and lines of length 0.
enum OverlapChecks {
    /// Collinear lines must share more than this many units to overlap.
    static let overlapTolerance = 0.5

    static func run(_ context: AnalysisContext) -> [Finding] {
        overlappingVertices(context) + zeroLengthLines(context) + overlappingLines(context)
    }

    private static func overlappingVertices(_ context: AnalysisContext) -> [Finding] {
        var groups: [MapPoint: [Int]] = [:]
        for (index, vertex) in context.map.vertices.enumerated() { groups[vertex.point, default: []].append(index) }
        return groups.filter { $0.value.count > 1 }.sorted { $0.value[0] < $1.value[0] }.map { point, indices in
            Finding(kind: .overlappingVertices,
                    message: "Vertices \(indices.map(String.init).joined(separator: ", ")) lie on the same spot \(context.label(point)). Merge them, or lines that look connected are not.",
                    location: point, ids: indices.map { MapElementID(.vertex, $0) })
        }
    }

    private static func zeroLengthLines(_ context: AnalysisContext) -> [Finding] {
        let map = context.map
        return map.linedefs.indices.compactMap { index in
            guard let (a, b) = context.ends(ofLine: index), a == b else { return nil }
            return Finding(kind: .zeroLengthLine,
                           message: "Linedef \(index) at \(context.label(a)) has length 0 (both ends at the same spot). Delete it; it can break node building and collision.",
                           location: a, ids: [MapElementID(.linedef, index)])
        }
    }

    /// Groups lines by their supporting line (direction and offset), then sweeps each group along its direction.
    private static func overlappingLines(_ context: AnalysisContext) -> [Finding] {
        let map = context.map
        struct Key: Hashable { let angle: Int64; let offset: Int64 }
        var groups: [Key: [(line: Int, from: Double, to: Double)]] = [:]
        for index in map.linedefs.indices {
            guard let (a, b) = context.ends(ofLine: index), a.isUsable, b.isUsable, a != b else { continue }
            var angle = atan2(b.y - a.y, b.x - a.x)
            if angle < 0 { angle += Double.pi }
            if angle >= Double.pi - 1e-9 { angle = 0 }
            let ux = cos(angle), uy = sin(angle)
            let offset = a.x * uy - a.y * ux
            let key = Key(angle: Int64((angle * 1e4).rounded()), offset: Int64((offset * 10).rounded()))
            let p = a.x * ux + a.y * uy, q = b.x * ux + b.y * uy
            groups[key, default: []].append((index, min(p, q), max(p, q)))
        }
        var findings: [Finding] = []
        for (_, members) in groups where members.count > 1 {
            let sorted = members.sorted { $0.from != $1.from ? $0.from < $1.from : $0.line < $1.line }
            var reach = sorted[0]
            for member in sorted.dropFirst() {
                if member.from < reach.to - overlapTolerance {
                    let location = context.midpoint(ofLine: member.line)
                    let pair = [min(reach.line, member.line), max(reach.line, member.line)]
                    findings.append(Finding(kind: .overlappingLines,
                                            message: "Linedefs \(pair[0]) and \(pair[1]) overlap near \(context.label(location)). Only one of them is used for collision and rendering; delete or merge the duplicate.",
                                            location: location, ids: pair.map { MapElementID(.linedef, $0) }))
                }
                if member.to > reach.to { reach = member }
            }
        }
        return findings.sorted { ($0.ids.first?.index ?? 0, $0.ids.last?.index ?? 0) < ($1.ids.first?.index ?? 0, $1.ids.last?.index ?? 0) }
    }
}
