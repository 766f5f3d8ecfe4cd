import PlaytestCore
import PlaytestStorage

/// Trajectories, death markers and a visit heatmap of test episodes, as map overlays.
public struct RunOverlays: Sendable {
    public var overlays: [MapOverlay] = []
    /// The names of the layers drawn (`heatmap`, `trajectories`, `deaths`).
    public var layers: [String] = []

    public init(overlays: [MapOverlay] = [], layers: [String] = []) {
        self.overlays = overlays
        self.layers = layers
    }
}

extension RunOverlays {
    /// Overlays for the given episodes' steps and their deaths, and the names of the layers drawn.
    static func build(steps: [Int: [StepRow]], episodes: [EpisodeMetrics], bounds: MapBounds,
                      findings: [(finding: FindingRecord, sighting: FindingSighting)] = []) -> RunOverlays {
        var overlays: [MapOverlay] = []
        var layers: [String] = []
        let all = steps.values.flatMap { $0 }
        if !all.isEmpty {
            overlays.append(heatmap(all, bounds: bounds))
            layers.append("heatmap")
            let colors = ["#1f5fbf", "#c2410c", "#1e7b34", "#7e3ab8", "#b8860b", "#0e7490"]
            for (index, episode) in steps.keys.sorted().enumerated() {
                let points = thinned(steps[episode] ?? [], limit: 800).map { MapPoint(x: $0.x, y: $0.y) }
                guard points.count >= 2 else { continue }
                overlays.append(.polyline(points: points, style: OverlayStyle(
                    stroke: colors[index % colors.count], strokeWidth: 2, opacity: 0.85, cssClass: "trajectory episode-\(episode)")))
            }
            layers.append("trajectories")
        }
        let deaths = episodes.flatMap { episode in
            episode.events.filter { $0.type == .death }.map { (episode.episodeNum, $0) }
        }
        if !deaths.isEmpty {
            let radius = max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) / 80
            for (episode, event) in deaths where event.x.isFinite && event.y.isFinite {
                overlays.append(.marker(at: event.position, radius: radius, label: "death, episode \(episode)", style: OverlayStyle(
                    stroke: "#b3261e", fill: "#b3261e", strokeWidth: 2, opacity: 0.9, cssClass: "death")))
            }
            layers.append("deaths")
        }
        // The findings play raised, one ring per finding (at its first sighting in the run), coloured by severity.
        var ringed = Set<String>()
        let ring = max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) / 60
        for (finding, sighting) in findings where ringed.insert(finding.id).inserted {
            let color = switch finding.severity { case .error: "#b91c1c"; case .warning: "#c2410c"; case .info: "#6d28d9" }
            overlays.append(.marker(at: MapPoint(x: sighting.x, y: sighting.y), radius: ring,
                                    label: "\(finding.kind.replacingOccurrences(of: "_", with: " ")): \(finding.message)",
                                    style: OverlayStyle(stroke: color, fill: "none", strokeWidth: 3, opacity: 0.95,
                                                        cssClass: "run-finding severity-\(finding.severity.rawValue)", labelBeside: false)))
        }
        if !ringed.isEmpty { layers.append("run-findings") }
        return RunOverlays(overlays: overlays, layers: layers)
    }

    /// Where the agent spent its time: visits per cell of a 48-cell-wide grid, scaled by the busiest cell.
    static func heatmap(_ steps: [StepRow], bounds: MapBounds) -> MapOverlay {
        let size = max(max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) / 48, 16)
        var counts: [Int64: Int] = [:]
        for step in steps where step.x.isFinite && step.y.isFinite {
            let cx = Int64(((step.x - bounds.minX) / size).rounded(.down))
            let cy = Int64(((step.y - bounds.minY) / size).rounded(.down))
            counts[cx << 32 | (cy & 0xFFFF_FFFF), default: 0] += 1
        }
        let busiest = Double(counts.values.max() ?? 1)
        let cells = counts.map { key, count in
            let cx = Double(key >> 32)
            let cy = Double(Int32(truncatingIfNeeded: key))
            return HeatCell(x: bounds.minX + cx * size, y: bounds.minY + cy * size, value: (Double(count) / busiest).squareRoot())
        }
        return .heatmap(cells: cells, cellSize: size, lowColor: "#fde68a", highColor: "#dc2626")
    }

    static func thinned(_ rows: [StepRow], limit: Int) -> [StepRow] {
        guard rows.count > limit, limit > 1 else { return rows }
        let step = Double(rows.count - 1) / Double(limit - 1)
        return (0..<limit).map { rows[Int((Double($0) * step).rounded())] }
    }
}
