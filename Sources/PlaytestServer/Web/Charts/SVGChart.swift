import Foundation

/// Charts drawn server-side as inline SVG with the HTML builder, so they need no JavaScript and
/// their labels are escaped like any text. Colors come from CSS classes (`series-1`…), so they
/// follow the light or dark theme.
enum SVGChart {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// 1 to 4: which theme color.
        var color: Int
        /// Drawn thin and faint (the raw values under a smoothed line).
        var faint: Bool = false
    }

    static let width = 640.0
    static let height = 240.0
    static let margin = (left: 56.0, right: 16.0, top: 24.0, bottom: 34.0)

    /// Lines over a shared x axis. Returns an empty-state note when no series has two points.
    static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String, id: String? = nil) -> HTML {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard series.contains(where: { $0.points.filter { $0.x.isFinite && $0.y.isFinite }.count >= 2 }) else {
            return el("figure", .cls("chart"), .id(id)) {
                el("figcaption") { title }
                WebParts.emptyState("Not enough points to draw yet.")
            }
        }
        let xs = all.map(\.x), ys = all.map(\.y)
        var yMin = ys.min() ?? 0, yMax = ys.max() ?? 1
        if yMin > 0, yMin < yMax * 0.5 { yMin = 0 }
        if yMax == yMin { yMax = yMin + 1 }
        let scale = Scale(xMin: xs.min() ?? 0, xMax: max(xs.max() ?? 1, (xs.min() ?? 0) + 1), yMin: yMin, yMax: yMax)
        return el("figure", .cls("chart"), .id(id)) {
            el("figcaption") { title }
            el("svg", Attribute("viewBox", "0 0 \(Int(width)) \(Int(height))"), .role("img"), .label(title)) {
                axes(scale, xLabel: xLabel, yLabel: yLabel)
                for line in series where line.points.count >= 2 {
                    el("polyline", .cls("series-\(line.color)" + (line.faint ? " raw" : "")),
                       Attribute("points", line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { scale.point($0.x, $0.y) }.joined(separator: " "))) {
                        el("title") { line.name }
                    }
                }
            }
            legend(series.filter { !$0.faint })
        }
    }

    /// One bar per value (e.g. kills per episode), labelled below.
    static func bars(_ values: [(label: String, value: Double)], title: String, yLabel: String, id: String? = nil) -> HTML {
        guard !values.isEmpty else {
            return el("figure", .cls("chart"), .id(id)) {
                el("figcaption") { title }
                WebParts.emptyState("No finished episodes yet.")
            }
        }
        let yMax = max(values.map(\.value).max() ?? 1, 1)
        let scale = Scale(xMin: 0, xMax: Double(values.count), yMin: 0, yMax: yMax)
        let slot = (width - margin.left - margin.right) / Double(values.count)
        let labelEvery = max(1, values.count / 12)
        return el("figure", .cls("chart"), .id(id)) {
            el("figcaption") { title }
            el("svg", Attribute("viewBox", "0 0 \(Int(width)) \(Int(height))"), .role("img"), .label(title)) {
                axes(scale, xLabel: nil, yLabel: yLabel, xTicks: false)
                for (index, bar) in values.enumerated() {
                    let x = margin.left + slot * Double(index) + slot * 0.15
                    let top = scale.y(bar.value)
                    el("rect", .cls("series-1"), Attribute("x", fmt(x)), Attribute("y", fmt(top)), Attribute("width", fmt(slot * 0.7)),
                       Attribute("height", fmt(max(scale.y(0) - top, 0)))) {
                        el("title") { "\(bar.label): \(WebFormat.number(bar.value, digits: bar.value.rounded() == bar.value ? 0 : 2))" }
                    }
                    if index % labelEvery == 0 {
                        el("text", Attribute("x", fmt(x + slot * 0.35)), Attribute("y", fmt(height - margin.bottom + 14)), Attribute("text-anchor", "middle")) { bar.label }
                    }
                }
            }
        }
    }

    /// Groups of bars: one group per metric, one bar per run, each metric scaled to its own maximum
    /// (the true value is in the bar's tooltip and the table beside it).
    static func groupedBars(metrics: [String], runs: [(name: String, values: [Double])], title: String, id: String? = nil) -> HTML {
        let groupWidth = (width - margin.left - margin.right) / Double(max(metrics.count, 1))
        let barWidth = groupWidth * 0.8 / Double(max(runs.count, 1))
        let scale = Scale(xMin: 0, xMax: 1, yMin: 0, yMax: 1)
        return el("figure", .cls("chart"), .id(id)) {
            el("figcaption") { title }
            el("svg", Attribute("viewBox", "0 0 \(Int(width)) \(Int(height))"), .role("img"), .label(title)) {
                axes(scale, xLabel: nil, yLabel: "share of the best", xTicks: false, percent: true)
                for (m, metric) in metrics.enumerated() {
                    let best = runs.map { $0.values.indices.contains(m) && $0.values[m].isFinite ? abs($0.values[m]) : 0 }.max() ?? 0
                    let left = margin.left + groupWidth * Double(m) + groupWidth * 0.1
                    for (r, run) in runs.enumerated() {
                        let value = run.values.indices.contains(m) ? run.values[m] : .nan
                        let share = best > 0 && value.isFinite ? abs(value) / best : 0
                        let top = scale.y(share)
                        el("rect", .cls("series-\(r % 4 + 1)"), Attribute("x", fmt(left + barWidth * Double(r))), Attribute("y", fmt(top)),
                           Attribute("width", fmt(barWidth * 0.9)), Attribute("height", fmt(max(scale.y(0) - top, 0)))) {
                            el("title") { "\(run.name) · \(metric): \(WebFormat.number(value))" }
                        }
                    }
                    el("text", Attribute("x", fmt(left + groupWidth * 0.4)), Attribute("y", fmt(height - margin.bottom + 14)), Attribute("text-anchor", "middle")) { metric }
                }
            }
            legend(runs.enumerated().map { Series(name: $0.element.name, points: [], color: $0.offset % 4 + 1) })
        }
    }

    /// Exponential moving average, as TensorBoard smooths curves (weight 0…1).
    static func smoothed(_ points: [(x: Double, y: Double)], weight: Double = 0.9) -> [(x: Double, y: Double)] {
        var last: Double?
        var debias = 0.0
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(points.count)
        var index = 0
        for point in points where point.y.isFinite {
            index += 1
            let next = (last ?? 0) * weight + (1 - weight) * point.y
            last = next
            debias = 1 - pow(weight, Double(index))
            out.append((point.x, next / debias))
        }
        return out
    }

    /// At most `limit` points, evenly picked (keeps the last), so long runs stay light.
    static func thinned(_ points: [(x: Double, y: Double)], limit: Int = 600) -> [(x: Double, y: Double)] {
        guard points.count > limit, limit > 1 else { return points }
        let step = Double(points.count - 1) / Double(limit - 1)
        return (0..<limit).map { points[Int((Double($0) * step).rounded())] }
    }

    private struct Scale {
        var xMin: Double, xMax: Double, yMin: Double, yMax: Double
        func x(_ value: Double) -> Double {
            margin.left + (value - xMin) / (xMax - xMin) * (SVGChart.width - margin.left - margin.right)
        }
        func y(_ value: Double) -> Double {
            SVGChart.height - margin.bottom - (value - yMin) / (yMax - yMin) * (SVGChart.height - margin.top - margin.bottom)
        }
        func point(_ px: Double, _ py: Double) -> String { fmt(x(px)) + "," + fmt(y(py)) }
    }

    private static func axes(_ scale: Scale, xLabel: String?, yLabel: String, xTicks: Bool = true, percent: Bool = false) -> HTML {
        let bottom = height - margin.bottom
        return el("g") {
            for i in 0...4 {
                let value = scale.yMin + (scale.yMax - scale.yMin) * Double(i) / 4
                let y = scale.y(value)
                el("line", .cls("grid"), Attribute("x1", fmt(margin.left)), Attribute("x2", fmt(width - margin.right)), Attribute("y1", fmt(y)), Attribute("y2", fmt(y)))
                el("text", Attribute("x", fmt(margin.left - 6)), Attribute("y", fmt(y + 4)), Attribute("text-anchor", "end")) {
                    percent ? WebFormat.percent(value) : tick(value, span: scale.yMax - scale.yMin)
                }
            }
            if xTicks {
                for i in 0...4 {
                    let value = scale.xMin + (scale.xMax - scale.xMin) * Double(i) / 4
                    el("text", Attribute("x", fmt(scale.x(value))), Attribute("y", fmt(bottom + 14)), Attribute("text-anchor", "middle")) {
                        tick(value, span: scale.xMax - scale.xMin)
                    }
                }
            }
            el("line", .cls("axis"), Attribute("x1", fmt(margin.left)), Attribute("x2", fmt(width - margin.right)), Attribute("y1", fmt(bottom)), Attribute("y2", fmt(bottom)))
            el("line", .cls("axis"), Attribute("x1", fmt(margin.left)), Attribute("x2", fmt(margin.left)), Attribute("y1", fmt(margin.top)), Attribute("y2", fmt(bottom)))
            if let xLabel {
                el("text", Attribute("x", fmt((margin.left + width - margin.right) / 2)), Attribute("y", fmt(height - 4)), Attribute("text-anchor", "middle")) { xLabel }
            }
            el("text", Attribute("x", "8"), Attribute("y", "12"), Attribute("text-anchor", "start")) { yLabel }
        }
    }

    static func legend(_ series: [Series]) -> HTML {
        group {
            if series.count > 1 {
                el("p", .cls("legend-row")) {
                    for line in series {
                        el("span") {
                            el("span", .cls("swatch"), Attribute("style", "background: var(--chart-\(line.color))"))
                            line.name
                        }
                    }
                }
            }
        }
    }

    /// A tick label with as many decimals as the axis' span needs to tell its five ticks apart.
    static func tick(_ value: Double, span: Double) -> String {
        if abs(value) >= 10_000, span >= 4000 { return String(format: "%.0fk", value / 1000) }
        let step = span / 4
        guard step > 0, step.isFinite else { return String(format: "%g", value) }
        let decimals = max(0, min(6, Int((-log10(step)).rounded(.up))))
        return String(format: "%.\(decimals)f", value)
    }

    static func fmt(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f", value) : "0"
    }
}
