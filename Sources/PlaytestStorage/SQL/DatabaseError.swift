import FluentPostgresDriver
import Foundation
import PostgresNIO

/// A database error in words an operator can act on: PostgreSQL's SQLSTATE code, message, detail and hint, never
/// PostgresNIO's generic "PSQLError – Generic description…" text.
public struct DatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String?
    public var message: String
    public var detail: String?
    public var hint: String?

    public init(code: String?, message: String, detail: String? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    /// The server's own message of a PostgreSQL error; nil for any other error.
    public init?(_ error: any Error) {
        guard let psql = error as? PSQLError else { return nil }
        if let info = psql.serverInfo {
            self.init(code: info[.sqlState], message: info[.message] ?? "PostgreSQL error", detail: info[.detail], hint: info[.hint])
        } else {
            let cause = psql.underlying.map { ": \(String(describing: $0))" } ?? ""
            self.init(code: nil, message: "PostgreSQL connection: \(psql.code)\(cause)")
        }
    }

    /// SQLSTATE 23505: a row with the same unique key exists.
    public var isUniqueViolation: Bool { code == "23505" }

    public var description: String {
        var text = (code.map { "[\($0)] " } ?? "") + message
        if let detail, !detail.isEmpty { text += " (detail: \(detail))" }
        if let hint, !hint.isEmpty { text += " (hint: \(hint))" }
        return text
    }

    /// `error` for a log line or an error message: a database error as ``DatabaseError`` says it, anything else as
    /// it describes itself.
    public static func describe(_ error: any Error) -> String {
        DatabaseError(error).map(\.description) ?? String(describing: error)
    }
}
