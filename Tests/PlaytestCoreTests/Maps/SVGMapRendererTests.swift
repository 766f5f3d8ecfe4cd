import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PlaytestCore

@Suite("SVG map renderer")
struct SVGMapRendererTests {
    /// Parses the SVG as XML, so a malformed picture fails the test.
    private func parseXML(_ svg: String) throws -> XMLDocument {
        try XMLDocument(data: Data(svg.utf8))
    }

    /// An attribute's value (FoundationXML's `attribute(forName:)` misses attributes of namespaced elements on Linux).
    private func attr(_ element: XMLElement?, _ name: String) -> String? {
        element?.attributes?.first { $0.name == name }?.stringValue
    }

    private func elements(_ document: XMLDocument, _ xpath: String) throws -> [XMLElement] {
        try document.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    @Test("The viewBox is fitted to the bounds plus padding and flips y")
    func viewBox() throws {
        var options = SVGRenderOptions()
        options.layers.remove(.legend)
        options.padding = 10
        let svg = SVGMapRenderer(map: TestMaps.twoRooms(), options: options).render()
        let root = try #require(try parseXML(svg).rootElement())
        // Bounds x 0…512, y 0…256: SVG y runs from -(256 + 10) down to -(0 - 10).
        #expect(attr(root, "viewBox") == "-10 -266 532 276")
        #expect(attr(root, "width") == "1024")
        #expect(attr(root, "height") == "\(Int((1024.0 * 276 / 532).rounded()))")
    }

    @Test("Walls, two-sided lines, doors and exits are drawn in their own classes, to scale")
    func walls() throws {
        var map = TestMaps.twoRooms()
        map.linedefs[6].special = 1 // the shared line becomes a door
        let document = try parseXML(SVGMapRenderer(map: map).render())
        let exits = try elements(document, "//*[@id='walls']/*[@class='exit']/*[local-name()='line']")
        #expect(exits.map { attr($0, "data-line") } == ["4"])
        let doors = try elements(document, "//*[@id='walls']/*[@class='door']/*[local-name()='line']")
        #expect(doors.count == 1)
        let door = try #require(doors.first)
        // Line 6 runs from (256, 256) to (256, 0): SVG y is negated.
        #expect(attr(door, "x1") == "256" && attr(door, "y1") == "-256")
        #expect(attr(door, "y2") == "0")
        #expect(try elements(document, "//*[@id='walls']/*[@class='wall']/*[local-name()='line']").count == 5)
    }

    @Test("Things are drawn as symbols by category, and findings as markers with their message")
    func thingsAndFindings() throws {
        var map = TestMaps.cleanRoom()
        map.things.append(Thing(x: 900, y: 900, type: 2011))
        let findings = MapAnalysis.run(map, resources: TestMaps.resources)
        let document = try parseXML(SVGMapRenderer(map: map).render(findings: findings))
        #expect(try elements(document, "//*[@id='things']/*[local-name()='polygon' and contains(@class,'playerStart')]").count == 1)
        #expect(try elements(document, "//*[@id='things']/*[local-name()='circle' and contains(@class,'monster')]").count == 1)
        #expect(try elements(document, "//*[@id='things']/*[local-name()='rect' and contains(@class,'health')]").count == 2)
        let markers = try elements(document, "//*[@id='findings']/*[local-name()='circle']")
        #expect(markers.count == findings.count && findings.count == 1)
        #expect(attr(markers.first, "data-kind") == "thingOutsideMap")
        #expect(markers.first?.stringValue?.contains("outside every sector") == true)
        let legend = try elements(document, "//*[@id='legend']/*[local-name()='text']").compactMap(\.stringValue)
        #expect(legend.contains("Finding: warning (1)") && legend.contains("Door") && legend.contains("Monster"))
    }

    @Test("Overlays draw polylines, heatmap cells and markers in map coordinates")
    func overlays() throws {
        let overlays: [MapOverlay] = [
            .polyline(points: [MapPoint(x: 10, y: 20), MapPoint(x: 30.25, y: -40)], style: OverlayStyle(stroke: "#00f", cssClass: "trajectory")),
            .heatmap(cells: [HeatCell(x: 0, y: 0, value: 0.5), HeatCell(x: 64, y: 0, value: 2)], cellSize: 64, lowColor: "#ffff00", highColor: "#ff0000"),
            .marker(at: MapPoint(x: 100, y: 100), radius: 16, label: "death <1>", style: OverlayStyle(stroke: "black")),
        ]
        let document = try parseXML(SVGMapRenderer(map: TestMaps.cleanRoom()).render(overlays: overlays))
        let polyline = try #require(try elements(document, "//*[@id='overlays']/*[local-name()='polyline']").first)
        #expect(attr(polyline, "points") == "10,-20 30.25,40")
        #expect(attr(polyline, "class") == "overlay trajectory")
        let cells = try elements(document, "//*[@id='overlays']//*[local-name()='rect']")
        #expect(cells.count == 2)
        #expect(attr(cells.first, "y") == "-64") // top edge of the cell at y 0…64
        #expect(attr(cells.first, "fill") == "#ff8000") // halfway from yellow to red
        #expect(attr(cells.last, "fill") == "#ff0000") // values are clamped to 1
        let marker = try #require(try elements(document, "//*[@id='overlays']/*[local-name()='circle']").first)
        #expect(attr(marker, "cx") == "100" && attr(marker, "cy") == "-100")
        #expect(try elements(document, "//*[@id='overlays']/*[local-name()='text']").first?.stringValue == "death <1>")
    }

    @Test("Layers can be switched off")
    func layers() throws {
        let options = SVGRenderOptions(layers: [.walls])
        let svg = SVGMapRenderer(map: TestMaps.cleanRoom(), options: options).render(findings: MapAnalysis.run(TestMaps.cleanRoom()))
        let document = try parseXML(svg)
        #expect(try elements(document, "//*[@id='walls']").count == 1)
        #expect(try elements(document, "//*[@id='things' or @id='findings' or @id='legend' or @id='floors']").isEmpty)
    }

    @Test("Numbers are written without exponents and rounded to two decimals", arguments: [
        (0.0, "0"), (12.0, "12"), (-7.0, "-7"), (1.5, "1.5"), (-0.25, "-0.25"), (2.005, "2.01"), (1e-9, "0"),
        (-1234.567, "-1234.57"), (Double.nan, "0"), (0.05, "0.05"),
    ])
    func numbers(value: Double, text: String) {
        #expect(SVGText.number(value) == text)
    }
}
