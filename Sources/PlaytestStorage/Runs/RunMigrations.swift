import FluentKit
import SQLKit

/// Adds the columns the runs feature needs to `runs` (plan, target, progress, summary, stderr
/// tail, updated_at) and the indexes its lists use.
struct ExtendRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            "ALTER TABLE runs ADD COLUMN plan \(t.text) NOT NULL DEFAULT '{}'",
            "ALTER TABLE runs ADD COLUMN target \(t.integer) NOT NULL DEFAULT 0",
            "ALTER TABLE runs ADD COLUMN progress \(t.integer) NOT NULL DEFAULT 0",
            "ALTER TABLE runs ADD COLUMN summary \(t.text)",
            "ALTER TABLE runs ADD COLUMN stderr_tail \(t.text)",
            "ALTER TABLE runs ADD COLUMN updated_at \(t.date)",
            "CREATE INDEX runs_kind_created ON runs (kind, created_at)",
            "CREATE INDEX runs_status ON runs (status)",
            "CREATE INDEX runs_map ON runs (map_id)",
            "CREATE INDEX runs_created ON runs (created_at)",
        ])
    }

    func revert(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["DROP INDEX runs_kind_created", "DROP INDEX runs_status", "DROP INDEX runs_map", "DROP INDEX runs_created"]
            + ["plan", "target", "progress", "summary", "stderr_tail", "updated_at"].map { "ALTER TABLE runs DROP COLUMN \($0)" })
    }
}

/// `run_episodes`: one finished episode of a test run.
struct CreateRunEpisodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["""
            CREATE TABLE run_episodes (
                run_id \(t.runReference),
                episode_num \(t.integer) NOT NULL,
                metrics \(t.text) NOT NULL,
                log \(t.text) NOT NULL,
                created_at \(t.date) NOT NULL,
                PRIMARY KEY (run_id, episode_num)
            )\(t.keyedTableSuffix)
            """])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE run_episodes"])
    }
}

/// `run_events`: the append-only events derived from a test run's telemetry.
struct CreateRunEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["""
            CREATE TABLE run_events (
                run_id \(t.runReference),
                episode_num \(t.integer) NOT NULL,
                seq \(t.integer) NOT NULL,
                frame \(t.integer) NOT NULL,
                timestamp \(t.double) NOT NULL,
                type \(t.text) NOT NULL,
                x \(t.double) NOT NULL,
                y \(t.double) NOT NULL,
                data \(t.text) NOT NULL,
                PRIMARY KEY (run_id, episode_num, seq)
            )\(t.keyedTableSuffix)
            """])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE run_events"])
    }
}

/// `run_steps`: per-step samples of a test run, the table that takes the most rows.
///
/// It has no foreign key: a per-row key check costs more than the insert itself (bench/results/ingest.md).
/// A trigger on `runs` deletes a run's steps instead, so deleting a run (or a map's runs) still
/// takes them along.
struct CreateRunSteps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["""
            CREATE TABLE run_steps (
                run_id \(t.text) NOT NULL,
                episode_num \(t.integer) NOT NULL,
                step \(t.integer) NOT NULL,
                tic \(t.integer) NOT NULL,
                x \(t.double) NOT NULL,
                y \(t.double) NOT NULL,
                angle \(t.double) NOT NULL,
                health \(t.integer) NOT NULL,
                armor \(t.integer) NOT NULL,
                ammo \(t.integer) NOT NULL,
                weapon \(t.integer) NOT NULL,
                killcount \(t.integer) NOT NULL,
                action \(t.integer) NOT NULL,
                reward \(t.double),
                PRIMARY KEY (run_id, episode_num, step)
            )\(t.keyedTableSuffix)
            """] + (t.isPostgres ? [
                """
                CREATE FUNCTION run_steps_delete_with_run() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM run_steps WHERE run_id = OLD.id;
                    RETURN OLD;
                END $$
                """,
                """
                CREATE TRIGGER runs_delete_steps AFTER DELETE ON runs
                FOR EACH ROW EXECUTE FUNCTION run_steps_delete_with_run()
                """,
            ] : [
                """
                CREATE TRIGGER runs_delete_steps AFTER DELETE ON runs
                BEGIN
                    DELETE FROM run_steps WHERE run_id = OLD.id;
                END
                """,
            ]))
    }

    func revert(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["DROP TRIGGER runs_delete_steps\(t.isPostgres ? " ON runs" : "")"]
            + (t.isPostgres ? ["DROP FUNCTION run_steps_delete_with_run()"] : []) + ["DROP TABLE run_steps"])
    }
}

/// `training_metrics`: the learning curves of a training run.
struct CreateTrainingMetrics: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run(["""
            CREATE TABLE training_metrics (
                run_id \(t.runReference),
                iteration \(t.integer) NOT NULL,
                loss \(t.double),
                epsilon \(t.double) NOT NULL,
                mean_q \(t.double),
                mean_episode_reward \(t.double),
                mean_episode_kills \(t.double),
                steps_per_s \(t.double) NOT NULL,
                episodes \(t.integer) NOT NULL,
                recorded_at \(t.date) NOT NULL,
                PRIMARY KEY (run_id, iteration)
            )\(t.keyedTableSuffix)
            """])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE training_metrics"])
    }
}

/// `checkpoints`: training checkpoints stored in the blob store.
struct CreateCheckpoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE checkpoints (
                id \(t.text) PRIMARY KEY,
                run_id \(t.text) REFERENCES runs(id) ON DELETE CASCADE,
                iteration \(t.integer) NOT NULL,
                epsilon \(t.double) NOT NULL,
                final \(t.bool) NOT NULL,
                blob_key \(t.text) NOT NULL,
                bytes \(t.integer) NOT NULL,
                action_combinations \(t.text),
                action_count \(t.integer),
                scenario \(t.text),
                created_at \(t.date) NOT NULL,
                UNIQUE (run_id, iteration)
            )
            """,
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE checkpoints"])
    }
}

/// `artifacts`: screenshots and demos of runs stored in the blob store.
struct CreateArtifacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let t = try RunColumnTypes(database)
        try await t.run([
            """
            CREATE TABLE artifacts (
                id \(t.text) PRIMARY KEY,
                run_id \(t.runReference),
                kind \(t.text) NOT NULL,
                episode \(t.integer) NOT NULL,
                tic \(t.integer) NOT NULL,
                reason \(t.text) NOT NULL,
                blob_key \(t.text) NOT NULL UNIQUE,
                bytes \(t.integer) NOT NULL,
                content_type \(t.text) NOT NULL,
                created_at \(t.date) NOT NULL
            )
            """,
            "CREATE INDEX artifacts_run ON artifacts (run_id, created_at)",
        ])
    }

    func revert(on database: any Database) async throws {
        try await RunColumnTypes(database).run(["DROP TABLE artifacts"])
    }
}
