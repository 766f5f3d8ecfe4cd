import Foundation
import PlaytestCore
import SQLKit

/// What a user owns (`created_by`): the maps they uploaded and the runs they started.
public struct OwnedWorkStore: Sendable {
    let sql: SQLEngine

    public init(sql: SQLEngine) {
        self.sql = sql
    }

    public func activeRunCount(userID: String) async throws -> Int {
        try await sql.sql.raw("""
            SELECT COUNT(*) AS n FROM runs WHERE created_by = \(bind: userID) AND status IN (\(binds: RunStatus.active.map(\.rawValue)))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func activeRunIDs(userID: String, kind: RunKind) async throws -> [String] {
        try await sql.sql.raw("""
            SELECT id FROM runs WHERE created_by = \(bind: userID) AND kind = \(bind: kind.rawValue)
              AND status IN (\(binds: RunStatus.active.map(\.rawValue)))
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    public func runIDs(userID: String) async throws -> [String] {
        try await sql.sql.raw("SELECT id FROM runs WHERE created_by = \(bind: userID)").all().map { try $0.decode(column: "id", as: String.self) }
    }

    public func mapIDs(userID: String) async throws -> [UUID] {
        try await sql.sql.raw("SELECT id FROM maps WHERE created_by = \(bind: userID)").all().map { try $0.decode(column: "id", as: UUID.self) }
    }
}
