import FluentKit
import SQLKit

/// Seed 001's `users` and `api_keys` (with a visible key prefix), the refresh tokens and browser sessions that
/// sign-in hands out (stored hashed), the audit log, server-wide secrets, and `created_by` on maps and runs.
///
/// E-mail addresses are stored lower-cased, so the unique index makes them unique regardless of case. The seed's
/// `idx_api_keys_key_hash` is the unique constraint's own index. The audit log has no foreign keys: it outlives
/// the users it names.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        let yes = t.isPostgres ? "true" : "1"
        let now = t.isPostgres ? "NOW()" : "((julianday('now') - 2440587.5) * 86400.0)"
        let serial = t.isPostgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        let user = "TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
        try await t.run([
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                full_name TEXT,
                role TEXT NOT NULL DEFAULT 'user',
                is_active \(t.bool) NOT NULL DEFAULT \(yes),
                last_login \(t.date),
                created_at \(t.date) NOT NULL DEFAULT \(now),
                updated_at \(t.date) NOT NULL DEFAULT \(now),
                CONSTRAINT chk_role CHECK (role IN ('admin', 'user', 'viewer'))
            )
            """,
            "CREATE INDEX idx_users_role ON users (role)",
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                user_id \(user),
                key_hash TEXT NOT NULL UNIQUE,
                prefix TEXT NOT NULL,
                name TEXT NOT NULL,
                last_used \(t.date),
                expires_at \(t.date),
                is_active \(t.bool) NOT NULL DEFAULT \(yes),
                created_at \(t.date) NOT NULL DEFAULT \(now)
            )
            """,
            "CREATE INDEX idx_api_keys_user_id ON api_keys (user_id)",
            """
            CREATE TABLE refresh_tokens (
                id TEXT PRIMARY KEY,
                user_id \(user),
                token_hash TEXT NOT NULL UNIQUE,
                family TEXT NOT NULL,
                expires_at \(t.date) NOT NULL,
                revoked_at \(t.date),
                created_at \(t.date) NOT NULL
            )
            """,
            "CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family)",
            """
            CREATE TABLE browser_sessions (
                id TEXT PRIMARY KEY,
                user_id \(user),
                token_hash TEXT NOT NULL UNIQUE,
                csrf_token TEXT NOT NULL,
                expires_at \(t.date) NOT NULL,
                created_at \(t.date) NOT NULL
            )
            """,
            "CREATE INDEX idx_browser_sessions_user ON browser_sessions (user_id)",
            """
            CREATE TABLE audit_log (
                id \(serial),
                at \(t.date) NOT NULL,
                action TEXT NOT NULL,
                actor_id TEXT,
                actor_email TEXT,
                target TEXT,
                ip TEXT,
                detail TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX idx_audit_log_at ON audit_log (at)",
            "CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "ALTER TABLE maps ADD COLUMN created_by TEXT REFERENCES users(id) ON DELETE SET NULL",
            "ALTER TABLE runs ADD COLUMN created_by TEXT REFERENCES users(id) ON DELETE SET NULL",
            "CREATE INDEX idx_maps_created_by ON maps (created_by)",
            "CREATE INDEX idx_runs_created_by ON runs (created_by)",
        ])
    }

    func revert(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            "DROP INDEX idx_maps_created_by", "DROP INDEX idx_runs_created_by",
            "ALTER TABLE maps DROP COLUMN created_by", "ALTER TABLE runs DROP COLUMN created_by",
            "DROP TABLE server_secrets", "DROP TABLE audit_log", "DROP TABLE browser_sessions", "DROP TABLE refresh_tokens",
            "DROP TABLE api_keys", "DROP TABLE users",
        ])
    }
}
