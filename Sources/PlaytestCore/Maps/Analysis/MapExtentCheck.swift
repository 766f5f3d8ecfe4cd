/// Maps larger than Doom engines handle safely.
///
/// Vanilla-compatible engines store coordinates as 16.16 fixed point: a vertex beyond ±32767 cannot be
/// represented, and distances longer than 32767 units overflow in line-of-sight, sound and movement code.
enum MapExtentCheck {
    static let coordinateLimit = 32767.0

    static func run(_ context: AnalysisContext) -> [Finding] {
        let bounds = context.geometry.bounds
        let outside = context.map.vertices.indices.filter {
            let v = context.map.vertices[$0]
            return abs(v.x) > coordinateLimit || abs(v.y) > coordinateLimit
        }
        if let first = outside.first {
            let vertex = context.map.vertices[first].point
            return [Finding(kind: .mapTooLarge,
                            message: "\(outside.count) vertex(es), the first at \(context.label(vertex)), lie beyond ±32767, the largest coordinate Doom engines can store. Move the map towards the origin.",
                            location: vertex, ids: outside.prefix(50).map { MapElementID(.vertex, $0) })]
        }
        if bounds.width > coordinateLimit || bounds.height > coordinateLimit {
            return [Finding(kind: .mapTooLarge,
                            message: "The map spans \(AnalysisContext.format(bounds.width)) × \(AnalysisContext.format(bounds.height)) units; beyond 32767 units distances overflow, so sight, sound and monster movement break in vanilla-compatible engines. Make the map smaller.",
                            location: bounds.center, ids: [])]
        }
        return []
    }
}
