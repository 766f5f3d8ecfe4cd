import Foundation
import FluentKit
import PlaytestCore
import SQLKit

/// `maps.summaries` was written with Swift's property names (`thingCounts`, `minX`) and thing categories
/// (`playerStart`); the one JSON convention spells keys in snake_case (`thing_counts`, `min_x`, `player_start`), so the
/// stored JSON is rewritten once.
struct SnakeCaseMapSummaries: AsyncMigration {
    /// The keys that change: MapSummary's and MapBounds' camel-case properties.
    static let renamed: [String: String] = [
        "thingCounts": "thing_counts", "reachableSectors": "reachable_sectors", "playerStarts": "player_starts",
        "deathmatchStarts": "deathmatch_starts", "minX": "min_x", "minY": "min_y", "maxX": "max_x", "maxY": "max_y",
    ]

    func prepare(on database: any Database) async throws {
        try await rewrite(database, Self.renamed, categories: MapSummary.snakeCase)
    }

    func revert(on database: any Database) async throws {
        try await rewrite(database, Dictionary(uniqueKeysWithValues: Self.renamed.map { ($0.value, $0.key) }), categories: Self.camelCase)
    }

    private func rewrite(_ database: any Database, _ names: [String: String], categories: @escaping @Sendable (String) -> String) async throws {
        try await database.transaction { database in
            let sql = try RunColumnTypes(database).sql
            for row in try await sql.raw("SELECT id, summaries FROM maps").all() {
                let text = try row.decode(column: "summaries", as: String.self)
                let value = try StoredJSON.decode(JSONValue.self, from: text, table: MapRecord.schema)
                try await sql.raw("""
                    UPDATE maps SET summaries = \(bind: try StoredJSON.encode(Self.renamingKeys(value, names, categories: categories)))
                    WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
                    """).run()
            }
        }
    }

    /// `value` with its property keys renamed by `names`, and the keys of its thing counts by `categories`.
    static func renamingKeys(_ value: JSONValue, _ names: [String: String], categories: (String) -> String) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(Dictionary(uniqueKeysWithValues: object.map { key, value in
                let newKey = names[key] ?? key
                guard newKey == "thing_counts" || newKey == "thingCounts", case .object(let counts) = value else {
                    return (newKey, renamingKeys(value, names, categories: categories))
                }
                return (newKey, .object(Dictionary(counts.map { (categories($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })))
            }))
        case .array(let items): return .array(items.map { renamingKeys($0, names, categories: categories) })
        default: return value
        }
    }

    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
