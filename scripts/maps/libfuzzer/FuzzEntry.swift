// libFuzzer entry point for the map reader, compiled together with Sources/PlaytestCore/Maps by run.sh.
// Every input goes through WAD, MapParser and, when a map parses, geometry, the checks and the renderer.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let wad = try? WAD(bytes: bytes) else { return 0 }
    for entry in wad.maps {
        guard let map = try? MapParser.parse(wad: wad, map: entry) else { continue }
        let geometry = MapGeometry(map)
        let report = MapReport(geometry: geometry, resources: MapResources(wads: [wad]))
        _ = geometry.sector(at: MapPoint(x: 0, y: 0))
        _ = SVGMapRenderer(geometry: geometry).render(findings: report.findings)
    }
    return 0
}
