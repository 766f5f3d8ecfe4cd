import Foundation
import FluentKit
import PlaytestCore
import SQLKit

/// `maps.summaries` was written with Swift's property names (`thingCounts`, `minX`); the one JSON convention spells
/// keys in snake_case (`thing_counts`, `min_x`), so the stored JSON is rewritten once.
struct SnakeCaseMapSummaries: AsyncMigration {
    /// The keys that change: MapSummary's and MapBounds' camel-case properties.
    static let renamed: [String: String] = [
        "thingCounts": "thing_counts", "reachableSectors": "reachable_sectors", "playerStarts": "player_starts",
        "deathmatchStarts": "deathmatch_starts", "minX": "min_x", "minY": "min_y", "maxX": "max_x", "maxY": "max_y",
    ]

    func prepare(on database: any Database) async throws {
        try await rewrite(database, Self.renamed)
    }

    func revert(on database: any Database) async throws {
        try await rewrite(database, Dictionary(uniqueKeysWithValues: Self.renamed.map { ($0.value, $0.key) }))
    }

    private func rewrite(_ database: any Database, _ names: [String: String]) async throws {
        try await database.transaction { database in
            let sql = try RunColumnTypes(database).sql
            for row in try await sql.raw("SELECT id, summaries FROM maps").all() {
                let text = try row.decode(column: "summaries", as: String.self)
                let value = try StoredJSON.decode(JSONValue.self, from: text, table: MapRecord.schema)
                try await sql.raw("""
                    UPDATE maps SET summaries = \(bind: try StoredJSON.encode(Self.renamingKeys(value, names)))
                    WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
                    """).run()
            }
        }
    }

    static func renamingKeys(_ value: JSONValue, _ names: [String: String]) -> JSONValue {
        switch value {
        case .object(let object):
            .object(Dictionary(uniqueKeysWithValues: object.map { (names[$0.key] ?? $0.key, renamingKeys($0.value, names)) }))
        case .array(let items): .array(items.map { renamingKeys($0, names) })
        default: value
        }
    }
}
