import ArgumentParser
import PlaytestCore

@main
struct Playtest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playtest",
        abstract: "Automated play-testing of Doom maps with RL agents.",
        discussion: """
            Configuration comes from environment variables (and a .env file in the working directory):
              DATABASE_URL      postgres://user:pass@host:5432/db   (absent: SQLite in the data folder)
              REDIS_URL         redis://[user:pass@]host:6379/0     (absent: in-process live state)
              S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY   (absent: blobs in the data folder)
              PLAYTEST_DATA_DIR data folder (default ./data)
              HOST, PORT        where `serve` listens (default 127.0.0.1:8080)
              PLAYTEST_PYTHON   the agent runtime's interpreter (default .venv/bin/python)
              PLAYTEST_LOG_FORMAT  json or text (default: json unless stderr is a terminal)
              PLAYTEST_LOG_LEVEL   trace, debug, info, notice, warning, error (default info)
            """,
        version: PlaytestVersion.current,
        subcommands: [ServeCommand.self, WorkerCommand.self, MigrateCommand.self, BackupCommand.self, RestoreCommand.self, RetentionCommand.self, TestCommand.self, TrainCommand.self, PlanCommand.self, UserCommand.self, APIKeyCommand.self, LiveCommand.self, ProgressCommand.self]
    )
}
