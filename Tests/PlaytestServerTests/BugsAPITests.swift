import Foundation
import PlaytestCore
@testable import PlaytestServer
@testable import PlaytestServices
import PlaytestStorage
import Testing
import VaporTesting

@Suite("Bugs API", .serialized)
struct BugsAPITests {
    /// A UDMF WAD with one square room: line 0's middle texture is missing; `start` adds a player start.
    static func wad(start: Bool) -> [UInt8] {
        var text = "namespace = \"doom\";\n"
        for (x, y) in [(0, 0), (0, 256), (256, 256), (256, 0)] { text += "vertex { x = \(x).0; y = \(y).0; }\n" }
        for index in 0..<4 { text += "linedef { v1 = \(index); v2 = \((index + 1) % 4); sidefront = \(index); blocking = true; }\n" }
        for index in 0..<4 { text += "sidedef { sector = 0; texturemiddle = \"\(index == 0 ? "-" : "STARTAN3")\"; }\n" }
        text += "sector { heightfloor = 0; heightceiling = 128; texturefloor = \"FLOOR4_8\"; textureceiling = \"CEIL3_5\"; lightlevel = 160; }\n"
        if start { text += "thing { x = 128.0; y = 128.0; type = 1; angle = 0; skill1 = true; skill2 = true; skill3 = true; single = true; }\n" }
        let lumps: [(String, [UInt8])] = [("MAP01", []), ("TEXTMAP", Array(text.utf8)), ("ENDMAP", [])]
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        var body: [UInt8] = [], directory: [UInt8] = []
        for (name, data) in lumps {
            directory += le32(12 + body.count) + le32(data.count) + Array(name.utf8) + [UInt8](repeating: 0, count: 8 - name.utf8.count)
            body += data
        }
        return Array("PWAD".utf8) + le32(lumps.count) + le32(12 + body.count) + body + directory
    }

    static func upload(_ app: Application, start: Bool) async throws -> String {
        let (headers, body) = multipartBody(file: wad(start: start), filename: "bugs.wad", fields: ["name": "Bug room"])
        var id = ""
        try await app.testing().test(.POST, "api/v1/maps/upload", headers: headers, body: body) { response in
            #expect(response.status == .created)
            id = try response.content.decode(JSONValue.self)["id"]?.stringValue ?? ""
        }
        return id
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil,
                     headers: HTTPHeaders = [:]) async throws -> (HTTPStatus, JSONValue) {
        var result: (HTTPStatus, JSONValue) = (.ok, .null)
        var headers = headers
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = .json
            buffer = ByteBuffer(data: try PlaytestJSON.data(body))
        }
        try await app.testing().test(method, path, headers: headers, body: buffer) {
            result = ($0.status, (try? $0.content.decode(JSONValue.self)) ?? .null)
        }
        return result
    }

    static func byKind(_ list: JSONValue) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for finding in list["findings"]?.arrayValue ?? [] { out[finding["kind"]?.stringValue ?? ""] = finding }
        return out
    }

    @Test("a map's checks become findings once per upload; triage carries over to the next version, which shows what is fixed")
    func staticFindingsAndTriage() async throws {
        try await withPlaytestApp { app, engines in
            let first = try await Self.upload(app, start: false)
            let (status, list) = try await Self.send(app, .GET, "api/v1/bugs?map_id=\(first)")
            #expect(status == .ok)
            var kinds = Self.byKind(list)
            let startFinding = try #require(kinds["missing_player_start"])
            let texture = try #require(kinds["missing_texture"])
            #expect(startFinding["severity"] == "error" && startFinding["status"] == "open" && startFinding["latest"] == "seen")
            #expect(texture["line"] == 0 && texture["occurrences"] == 1 && texture["source"] == "map")
            #expect(list["by_severity"]?["error"]?.intValue ?? 0 >= 2)
            // Read again: the same upload is not counted twice.
            let (_, again) = try await Self.send(app, .GET, "api/v1/bugs?map_id=\(first)&kind=missing_texture")
            #expect(again["total"] == 1 && again["findings"]?[0]?["occurrences"] == 1)

            // Bad triage changes nothing.
            let id = try #require(startFinding["id"]?.stringValue)
            #expect(try await Self.send(app, .PATCH, "api/v1/bugs/\(id)", ["status": "bogus"]).0 == .unprocessableEntity)
            #expect(try await Self.send(app, .PATCH, "api/v1/bugs/\(id)", ["status": "fixed", "colour": "red"]).0 == .unprocessableEntity)
            #expect(try await Self.send(app, .PATCH, "api/v1/bugs/\(id)", [:]).0 == .unprocessableEntity)
            #expect(try await Self.send(app, .PATCH, "api/v1/bugs/fnd_nosuch", ["status": "fixed"]).0 == .notFound)
            let services = testServices(engines)
            let other = try await testKey(services, role: .user)
            #expect(try await Self.send(app, .PATCH, "api/v1/bugs/\(id)", ["status": "wont_fix"], headers: ["X-API-Key": other]).0 == .forbidden,
                    "another user's map")
            let viewer = try await testKey(services, role: .viewer)
            #expect(try await Self.send(app, .PATCH, "api/v1/bugs/\(id)", ["status": "wont_fix"], headers: ["X-API-Key": viewer]).0 == .forbidden)
            #expect(try await Self.send(app, .GET, "api/v1/bugs/\(id)").1["finding"]?["status"] == "open")

            let (patched, detail) = try await Self.send(app, .PATCH, "api/v1/bugs/\(id)", ["status": "confirmed", "comment": "No start: the map cannot be played."])
            #expect(patched == .ok)
            #expect(detail["finding"]?["status"] == "confirmed" && detail["finding"]?["status_by"] == "admin@example.com")
            #expect(detail["comments"]?[0]?["body"] == "No start: the map cannot be played." && detail["comments"]?[0]?["author"] == "admin@example.com")
            #expect(detail["sightings"]?.arrayValue?.count == 1)

            // The fixed version: a player start now, the texture still missing.
            let second = try await Self.upload(app, start: true)
            let (_, fixed) = try await Self.send(app, .GET, "api/v1/bugs?map_id=\(second)")
            kinds = Self.byKind(fixed)
            #expect(kinds["missing_texture"]?["occurrences"] == 2 && kinds["missing_texture"]?["latest"] == "seen")
            #expect(kinds["missing_texture"]?["map_id"]?.stringValue == second)
            #expect(kinds["missing_player_start"]?["status"] == "confirmed", "the triage carries over")
            #expect(kinds["missing_player_start"]?["latest"] == "not_seen", "fixed in the latest version")

            let (_, confirmed) = try await Self.send(app, .GET, "api/v1/bugs?map_id=\(second)&status=confirmed")
            #expect(confirmed["total"] == 1)
            let (_, search) = try await Self.send(app, .GET, "api/v1/bugs?map_id=\(second)&q=TEXTURE")
            #expect(search["findings"]?.arrayValue?.allSatisfy { $0["kind"] == "missing_texture" } == true && search["total"] == 1)
            #expect(search["counts_exact"] == true)
            #expect(try await Self.send(app, .GET, "api/v1/bugs?severity=fatal").0 == .unprocessableEntity)
            #expect(try await Self.send(app, .GET, "api/v1/bugs?map_id=\(second)&level=MAP09").0 == .notFound)
            #expect(try await Self.send(app, .GET, "api/v1/bugs?limit=0").0 == .badRequest)

            // The dashboard and the finding's page.
            try await app.testing().test(.GET, "bugs?map_id=\(second)&severity=error") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("href=\"/bugs/\(id)\"") && response.body.string.contains("missing_texture"))
            }
            try await app.testing().test(.GET, "bugs/\(id)") { response in
                let html = response.body.string
                #expect(response.status == .ok && html.contains("No start: the map cannot be played.") && html.contains("<svg"))
                #expect(html.contains("data-triage=\"\(id)\""))
            }
            try await app.testing().test(.GET, "bugs/fnd_nosuch") { #expect($0.status == .notFound) }

            // Deleting the map's every version takes its findings along.
            for map in [first, second] { #expect(try await Self.send(app, .DELETE, "api/v1/maps/\(map)").0 == .noContent) }
            #expect(try await Self.send(app, .GET, "api/v1/bugs?level=MAP01").1["total"] == 0)
            #expect(try await Self.send(app, .GET, "api/v1/bugs").1["total"] == 0, "nor in the counts over every map")
        }
    }

    @Test("play sightings cluster within 64 units per kind; a run is counted once; not yet tested on the newest upload")
    func playFindings() async throws {
        try await withPlaytestApp { app, engines in
            let map = try await Self.upload(app, start: true)
            let store = FindingStore(sql: engines.sql)
            let deaths = [(100.0, 100.0, 1), (140.0, 130.0, 2), (400.0, 100.0, 3)].map { x, y, tic in
                FindingObservation(kind: PlayFindingKind.deathHotspot.rawValue, severity: .info, source: .play, message: "A player died here.",
                                   x: x, y: y, episode: 0, tic: tic)
            }
            #expect(try await store.record(deaths, mapName: "Bug room", level: "MAP01", mapID: map, runID: "run_a") == 3)
            #expect(try await store.record(deaths, mapName: "Bug room", level: "MAP01", mapID: map, runID: "run_a") == 0, "once per run")
            let (_, list) = try await Self.send(app, .GET, "api/v1/bugs?kind=death_hotspot")
            let counts = list["findings"]?.arrayValue?.compactMap { $0["occurrences"]?.intValue }.sorted()
            #expect(counts == [1, 2])
            #expect(list["findings"]?.arrayValue?.allSatisfy { $0["latest"] == "seen" } == true)
            _ = try await Self.upload(app, start: false)  // a newer upload nobody has played yet
            let (_, later) = try await Self.send(app, .GET, "api/v1/bugs?kind=death_hotspot")
            #expect(later["findings"]?.arrayValue?.allSatisfy { $0["latest"] == "untested" } == true)
            #expect(try await Self.send(app, .GET, "api/v1/bugs?run_id=run_a").1["total"] == 2)
            #expect(try await Self.send(app, .GET, "api/v1/bugs?run_id=run_b").1["total"] == 0)
        }
    }
}
