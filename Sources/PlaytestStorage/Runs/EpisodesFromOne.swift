import FluentKit
import Foundation
import PlaytestCore
import SQLKit

/// Brings runs recorded before episodes were numbered from 1 and events were named as seed 001 names them up to date:
///
/// - `episode_num` (and `artifacts.episode`) + 1 in every run table and in the stored metrics and log JSON;
/// - events: `ammo_used` becomes `ammo_lost`; `before`/`after` become `health_before`/`health_after` (`health_lost`,
///   `health_pickup`), `ammo_before`/`ammo_after` (`ammo_lost`, `ammo_pickup`) and `armor_before`/`armor_after`
///   (`armor_pickup`); `kill` and `death` get the player's `health` and `ammo` from the stored step the event was
///   derived from (the newest step at or before its frame).
///
/// What stays as it was recorded: health below zero was stored as 0 then, so old runs keep clamped health figures.
struct EpisodesFromOne: AsyncMigration {
    static let keyedTables = ["run_steps", "run_events", "run_episodes"]

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            let sql = try RunColumnTypes(database).sql
            try await Self.shift(sql, by: 1)
            try await Self.rewriteEpisodeJSON(sql)
            try await Self.rewriteEvents(sql, forward: true)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            let sql = try RunColumnTypes(database).sql
            try await Self.rewriteEvents(sql, forward: false)
            try await Self.shift(sql, by: -1)
            try await Self.rewriteEpisodeJSON(sql)
        }
    }

    /// Moves every episode number by `delta`. Primary keys contain it, and PostgreSQL checks uniqueness row by row,
    /// so the numbers go through negative values (never in use) first.
    static func shift(_ sql: any SQLDatabase, by delta: Int) async throws {
        for table in keyedTables {
            try await sql.raw("UPDATE \(ident: table) SET episode_num = -episode_num - 1").run()
            try await sql.raw("UPDATE \(ident: table) SET episode_num = -episode_num - 1 + \(literal: delta)").run()
        }
        try await sql.raw("UPDATE artifacts SET episode = episode + \(literal: delta)").run()
    }

    /// The metrics and log JSON of each stored episode carry its number too: it follows the column.
    static func rewriteEpisodeJSON(_ sql: any SQLDatabase) async throws {
        let rows = try await sql.raw("SELECT run_id, episode_num, metrics, log FROM run_episodes").all()
        for row in rows {
            let runID = try row.decode(column: "run_id", as: String.self)
            let episode = try row.decode(column: "episode_num", as: Int.self)
            var metrics = try object(try row.decode(column: "metrics", as: String.self), table: "run_episodes")
            var log = try object(try row.decode(column: "log", as: String.self), table: "run_episodes")
            metrics["episode_num"] = .int(episode)
            log["episode_num"] = .int(episode)
            try await sql.raw("""
                UPDATE run_episodes SET metrics = \(bind: try StoredJSON.encode(metrics)), log = \(bind: try StoredJSON.encode(log))
                WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode)
                """).run()
        }
    }

    static let renamedFields: [String: String] = [
        "health_lost": "health", "health_pickup": "health", "ammo_lost": "ammo", "ammo_pickup": "ammo", "armor_pickup": "armor",
    ]

    static func rewriteEvents(_ sql: any SQLDatabase, forward: Bool) async throws {
        let rows = try await sql.raw("SELECT run_id, episode_num, seq, frame, type, data FROM run_events").all()
        for row in rows {
            let runID = try row.decode(column: "run_id", as: String.self)
            let episode = try row.decode(column: "episode_num", as: Int.self)
            let seq = try row.decode(column: "seq", as: Int.self)
            let frame = try row.decode(column: "frame", as: Int.self)
            var type = try row.decode(column: "type", as: String.self)
            var data = try object(try row.decode(column: "data", as: String.self), table: "run_events")
            if forward {
                if type == "ammo_used" { type = "ammo_lost" }
                if let prefix = renamedFields[type] {
                    rename(&data, "before", to: prefix + "_before")
                    rename(&data, "after", to: prefix + "_after")
                }
                if type == "kill" || type == "death", data["health"] == nil {
                    let (health, ammo) = try await playerState(sql, runID: runID, episode: episode, frame: frame)
                    data["health"] = .int(health)
                    data["ammo"] = .int(ammo)
                }
            } else {
                if let prefix = renamedFields[type] {
                    rename(&data, prefix + "_before", to: "before")
                    rename(&data, prefix + "_after", to: "after")
                }
                if type == "ammo_lost" { type = "ammo_used" }
                if type == "kill" || type == "death" {
                    data["health"] = nil
                    data["ammo"] = nil
                }
            }
            data["type"] = .string(type)
            try await sql.raw("""
                UPDATE run_events SET type = \(bind: type), data = \(bind: try StoredJSON.encode(data))
                WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode) AND seq = \(bind: seq)
                """).run()
        }
    }

    /// The player's health and ammo at `frame`: the newest stored step at or before it, else the episode's first step,
    /// else the episode's final health (and no ammo) from its metrics.
    static func playerState(_ sql: any SQLDatabase, runID: String, episode: Int, frame: Int) async throws -> (Int, Int) {
        let before = try await sql.raw("""
            SELECT health, ammo FROM run_steps WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode) AND tic <= \(bind: frame)
            ORDER BY step DESC LIMIT 1
            """).first()
        var step = before
        if step == nil {
            step = try await sql.raw("""
                SELECT health, ammo FROM run_steps WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode) ORDER BY step LIMIT 1
                """).first()
        }
        if let step {
            return (try step.decode(column: "health", as: Int.self), try step.decode(column: "ammo", as: Int.self))
        }
        let metrics = try await sql.raw("""
            SELECT metrics FROM run_episodes WHERE run_id = \(bind: runID) AND episode_num = \(bind: episode)
            """).first()
        let finalHealth = try metrics.flatMap { try object(try $0.decode(column: "metrics", as: String.self), table: "run_episodes")["final_health"]?.intValue }
        return (finalHealth ?? 0, 0)
    }

    static func object(_ text: String, table: String) throws -> [String: JSONValue] {
        try StoredJSON.decode([String: JSONValue].self, from: text, table: table)
    }

    static func rename(_ object: inout [String: JSONValue], _ key: String, to newKey: String) {
        if let value = object.removeValue(forKey: key) { object[newKey] = value }
    }
}
