import Foundation
import PlaytestCore
@testable import PlaytestServer
import PlaytestServices
@testable import PlaytestStorage
import Testing
import VaporTesting

@Suite("Maps API", .serialized)
struct MapsAPITests {
    struct Summary: Decodable {
        struct Counts: Decodable { var things, linedefs, sidedefs, vertices, sectors: Int }
        struct Findings: Decodable { var error, warning, info: Int }
        var name: String
        var format: String
        var counts: Counts
        var findings: Findings
    }
    struct MapBody: Decodable {
        var id: String
        var name: String
        var filename: String
        var file_url: String
        var size_bytes: Int64
        var sha256: String
        var format: String
        var maps: [Summary]
        var train_count: Int
        var test_count: Int
        var duplicate: Bool?
    }
    struct ListBody: Decodable {
        var maps: [MapBody]
        var total: Int
    }

    static let scenarios = testVizdoomDirectory.map { $0 + "/scenarios" }
    static let hasVizdoom = testVizdoomDirectory != nil

    static func file(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw TestFileMissing(path: path) }
        return [UInt8](data)
    }

    func upload(_ app: Application, _ bytes: [UInt8], filename: String, name: String? = nil, check: (TestingHTTPResponse) async throws -> Void) async throws {
        let (headers, body) = multipartBody(file: bytes, filename: filename, fields: name.map { ["name": $0] } ?? [:])
        try await app.testing().test(.POST, "api/v1/maps/upload", headers: headers, body: body) { try await check($0) }
    }

    @Test("upload a scenario WAD, list it, read it, download it, and re-upload it", .enabled(if: hasVizdoom, "no vizdoom package in .venv"))
    func lifecycle() async throws {
        let bytes = try Self.file(try #require(Self.scenarios) + "/defend_the_center.wad")
        try await withPlaytestApp { app, engines in
            var created: MapBody?
            try await upload(app, bytes, filename: "defend_the_center.wad", name: "Defend the centre") { response in
                #expect(response.status == .created)
                let body = try response.content.decode(MapBody.self)
                #expect(body.name == "Defend the centre" && body.filename == "defend_the_center.wad")
                #expect(body.size_bytes == Int64(bytes.count) && body.sha256.count == 64)
                #expect(body.format == "udmf")
                #expect(body.maps.map(\.name) == ["MAP01"])
                #expect(body.maps[0].counts.linedefs > 0 && body.maps[0].counts.sectors > 0)
                #expect(body.id == body.id.lowercased(), "ids are lower case")
                #expect(body.file_url == "/api/v1/maps/\(body.id)/file")
                created = body
            }
            let map = try #require(created)
            // Stored once, in the blob store, under its sha256.
            #expect(try await engines.blobs.exists(MapLibrary.blobKey(sha256: map.sha256)))

            try await upload(app, bytes, filename: "copy.wad") { response in
                #expect(response.status == .ok)
                let body = try response.content.decode(MapBody.self)
                #expect(body.id == map.id && body.duplicate == true)
            }
            try await app.testing().test(.GET, "api/v1/maps?name=centre") { response in
                let list = try response.content.decode(ListBody.self)
                #expect(list.total == 1 && list.maps.first?.id == map.id)
                #expect(list.maps.first?.train_count == 0 && list.maps.first?.test_count == 0)
            }
            try await app.testing().test(.GET, "api/v1/maps?name=nothing-like-this") { response in
                let decoded = try response.content.decode(ListBody.self)
                #expect(decoded.total == 0)
            }
            try await app.testing().test(.GET, "api/v1/maps/\(map.id)") { response in
                let decoded = try response.content.decode(MapBody.self)
                #expect(decoded.sha256 == map.sha256)
            }
            try await app.testing().test(.GET, "api/v1/maps/\(map.id)/file") { response in
                #expect(response.status == .ok)
                #expect(Array(response.body.readableBytesView) == bytes)
            }
            try await app.testing().test(.GET, "api/v1/maps/\(map.id)/maps/map01") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"findings\""))
            }
            try await app.testing().test(.GET, "api/v1/maps/\(map.id)/maps/MAP01/render.svg?layers=walls,things") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "svg+xml")
                #expect(response.body.string.hasPrefix("<svg") || response.body.string.contains("<svg"))
            }
            try await app.testing().test(.GET, "api/v1/maps/\(map.id)/maps/MAP99") { response in
                #expect(response.status == .notFound)
                let decoded = try response.content.decode(ErrorEnvelope.self)
                #expect(decoded.error.message.contains("MAP01"))
            }
        }
    }

    @Test("bad files get 422 with the reader's message and store nothing", .enabled(if: hasVizdoom, "no vizdoom package in .venv"))
    func badFiles() async throws {
        let good = try Self.file(try #require(Self.scenarios) + "/basic.wad")
        let cases: [(String, [UInt8])] = [
            ("text.wad", Array("this is not a wad at all, just text".utf8)),
            ("truncated.wad", Array(good.prefix(good.count / 2))),
            ("nomaps.wad", [0x50, 0x57, 0x41, 0x44, 0, 0, 0, 0, 12, 0, 0, 0]),
        ]
        try await withPlaytestApp { app, engines in
            for (name, bytes) in cases {
                try await upload(app, bytes, filename: name) { response in
                    #expect(response.status == .unprocessableEntity, "\(name)")
                    let error = try response.content.decode(ErrorEnvelope.self).error
                    #expect(error.code == "invalid_wad")
                    #expect(!error.message.isEmpty)
                }
            }
            try await app.testing().test(.GET, "api/v1/maps") { response in
                let decoded = try response.content.decode(ListBody.self)
                #expect(decoded.total == 0)
            }
            #expect(try await engines.blobs.list(prefix: "maps/").isEmpty)
        }
    }

    @Test("uploads over the limit get 413; non-multipart gets 415; no file part gets 400")
    func limits() async throws {
        try await withPlaytestApp(maxUploadBytes: 1024 * 1024) { app, engines in
            try await upload(app, [UInt8](repeating: 7, count: 1024 * 1024 + 10), filename: "big.wad") { response in
                #expect(response.status == .payloadTooLarge)
                let decoded = try response.content.decode(ErrorEnvelope.self)
                #expect(decoded.error.code == "payload_too_large")
            }
            try await app.testing().test(.POST, "api/v1/maps/upload", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=XYZ")
            try await app.testing().test(.POST, "api/v1/maps/upload", headers: headers, body: ByteBuffer(string: "--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--XYZ--\r\n")) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await engines.blobs.list(prefix: "maps/").isEmpty)
            try await app.testing().test(.GET, "api/v1/maps/not-a-uuid") { response in
                #expect(response.status == .notFound)
            }
            try await app.testing().test(.GET, "api/v1/maps?limit=0") { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("delete removes the row and the file, and is refused while a run is active", .enabled(if: hasVizdoom, "no vizdoom package in .venv"))
    func delete() async throws {
        let bytes = try Self.file(try #require(Self.scenarios) + "/basic.wad")
        try await withPlaytestApp { app, engines in
            var map: MapBody?
            try await upload(app, bytes, filename: "basic.wad") { map = try $0.content.decode(MapBody.self) }
            let id = try #require(map).id
            let run = RunRecord(
                id: "test_active", kind: .testing, status: .running, mapID: try #require(UUID(uuidString: id)), mapName: "MAP01",
                agent: "random", plan: try RunPlan(mapName: "MAP01", agent: "random", episodes: 1).json(), target: 1)
            try await RunStore(sql: engines.sql).insert(run)
            try await app.testing().test(.DELETE, "api/v1/maps/\(id)") { response in
                #expect(response.status == .conflict)
            }
            try await app.testing().test(.GET, "api/v1/maps/\(id)") { response in
                let decoded = try response.content.decode(MapBody.self)
                #expect(decoded.test_count == 1)
            }
            run.status = .completed
            try await run.save(on: engines.sql.database)
            try await app.testing().test(.DELETE, "api/v1/maps/\(id)") { response in
                #expect(response.status == .noContent)
            }
            try await app.testing().test(.GET, "api/v1/maps/\(id)") { response in
                #expect(response.status == .notFound)
            }
            #expect(try await engines.blobs.list(prefix: "maps/").isEmpty)
        }
    }

    @Test("built-in maps are seeded once", .enabled(if: hasVizdoom, "no vizdoom package in .venv"))
    func seeding() async throws {
        try await withPlaytestApp { app, engines in
            let library = testServices(engines).maps
            let directory = try #require(testVizdoomDirectory)
            let added = await BuiltinMaps.seed(into: library, vizdoomDirectory: directory, logger: app.logger)
            #expect(added >= 10)
            #expect(await BuiltinMaps.seed(into: library, vizdoomDirectory: directory, logger: app.logger) == 0)
            try await app.testing().test(.GET, "api/v1/maps?name=freedoom&limit=5") { response in
                let list = try response.content.decode(ListBody.self)
                let freedoom = try #require(list.maps.first)
                #expect(freedoom.maps.count == 32)
                #expect(freedoom.maps.first?.name == "MAP01" && freedoom.maps.last?.name == "MAP32")
            }
        }
    }
}

struct TestFileMissing: Error {
    var path: String
}
