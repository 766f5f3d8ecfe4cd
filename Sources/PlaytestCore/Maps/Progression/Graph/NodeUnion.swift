/// Nodes joined into groups (a disjoint-set forest): the nodes that fixed two-way walks join make one area.
struct NodeUnion {
    private var parent: [Int]

    init(count: Int) {
        parent = Array(0..<count)
    }

    /// The group's representative: its smallest node.
    mutating func root(_ node: Int) -> Int {
        var node = node
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    mutating func join(_ a: Int, _ b: Int) {
        let ra = root(a), rb = root(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
