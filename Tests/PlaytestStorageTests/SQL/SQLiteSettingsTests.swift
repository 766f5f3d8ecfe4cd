import FluentKit
import Foundation
import Logging
@testable import PlaytestStorage
import SQLKit
import Testing

@Suite("SQLite settings")
struct SQLiteSettingsTests {
    struct Setting: Decodable { var value: String }

    @Test("every pooled connection runs in WAL mode with synchronous=NORMAL")
    func walAndNormalSync() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let engine = try await SQLEngine.open(.sqlite(path: path), logger: Logger(label: "test"))
        var loops = 0
        for eventLoop in engine.eventLoopGroup.makeIterator() {
            let database = try #require(engine.databases.database(.sqlite, logger: Logger(label: "test"), on: eventLoop) as? any SQLDatabase)
            let journal = try await database.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            let synchronous = try await database.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            #expect(journal == "wal")
            #expect(synchronous == 1, "1 is NORMAL (2 is FULL, the default)")
            loops += 1
        }
        #expect(loops >= 1)
        await engine.shutdown()
    }
}
