@testable import PlaytestStorage
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("no engine variables means the embedded default")
    func embeddedDefault() throws {
        let config = try PlaytestConfiguration.load(from: [:])
        #expect(config.sql == .sqlite(path: "./data/playtest.sqlite"))
        #expect(config.live == .memory)
        #expect(config.blobs == .folder(path: "./data/blobs"))
        #expect(config.host == "127.0.0.1" && config.port == 8080)
        #expect(config.isEmbedded)
        #expect(config.access.corsOrigins.isEmpty, "no origin may call the API from a browser by default")
    }

    @Test("PLAYTEST_CORS_ORIGINS lists origins, compared in lower case")
    func corsOrigins() throws {
        let config = try PlaytestConfiguration.load(from: ["PLAYTEST_CORS_ORIGINS": "https://Play.Example.com, http://localhost:5173"])
        #expect(config.access.corsOrigins == ["https://play.example.com", "http://localhost:5173"])
        let proxies = try PlaytestConfiguration.load(from: ["PLAYTEST_TRUSTED_PROXIES": "10.0.0.5, FD00::1, 172.16.0.0/12"])
        #expect(proxies.access.trustedProxies == ["10.0.0.5", "fd00::1", "172.16.0.0/12"])
    }

    @Test("engine URLs select the scale-out engines")
    func scaleOut() throws {
        let config = try PlaytestConfiguration.load(from: [
            "DATABASE_URL": "postgres://u:p@db.internal:5432/playtest", "REDIS_URL": "redis://cache:6379/2",
            "S3_ENDPOINT": "http://127.0.0.1:9000", "S3_BUCKET": "playtest-blobs", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s",
            "PLAYTEST_DATA_DIR": "/var/lib/playtest", "PORT": "9090",
        ])
        #expect(config.sql == .postgres(url: "postgres://u:p@db.internal:5432/playtest"))
        #expect(config.live == .redis(url: "redis://cache:6379/2"))
        guard case .s3(let s3) = config.blobs else {
            Issue.record("expected S3 blobs")
            return
        }
        #expect(s3.region == "us-east-1" && s3.bucket == "playtest-blobs")
        #expect(config.port == 9090 && !config.isEmbedded)
    }

    @Test("a malformed variable is an error that names it", arguments: [
        (["DATABASE_URL": "mysql://localhost/db"], "DATABASE_URL"),
        (["DATABASE_URL": "not a url at all"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres:///nohost"], "DATABASE_URL"),
        (["REDIS_URL": "http://localhost:6379"], "REDIS_URL"),
        (["REDIS_URL": "redis://localhost:notaport"], "REDIS_URL"),
        (["PORT": "70000"], "PORT"),
        (["PORT": "eighty"], "PORT"),
        (["S3_BUCKET": "b"], "S3_ENDPOINT"),
        (["S3_ENDPOINT": "http://x:9000", "S3_BUCKET": "Bad_Bucket", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s"], "S3_BUCKET"),
        (["S3_ENDPOINT": "ftp://x", "S3_BUCKET": "good-bucket", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s"], "S3_ENDPOINT"),
        (["PLAYTEST_MAX_UPLOAD_MB": "0"], "PLAYTEST_MAX_UPLOAD_MB"),
        (["PLAYTEST_CORS_ORIGINS": "*"], "PLAYTEST_CORS_ORIGINS"),
        (["PLAYTEST_TRUSTED_PROXIES": "10.0.0.5, proxy.internal"], "PLAYTEST_TRUSTED_PROXIES"),
        (["PLAYTEST_TRUSTED_PROXIES": "10.0.0.0/33"], "PLAYTEST_TRUSTED_PROXIES"),
        (["PLAYTEST_CORS_ORIGINS": "https://ok.example.com, https://bad.example.com/path"], "PLAYTEST_CORS_ORIGINS"),
    ])
    func malformed(env: [String: String], variable: String) {
        #expect {
            _ = try PlaytestConfiguration.load(from: env)
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test("errors never print a password")
    func redaction() {
        do {
            _ = try PlaytestConfiguration.load(from: ["DATABASE_URL": "mysql://admin:hunter2@db/x"])
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test(".env values fill in, the process environment wins")
    func envFile() {
        let parsed = EnvironmentFile.parse("""
            # comment
            export PORT=9000
            HOST = "0.0.0.0"
            REDIS_URL='redis://localhost:6379/1'
            PLAYTEST_DATA_DIR=/srv/data # trailing comment
            garbage line
            """)
        #expect(parsed == ["PORT": "9000", "HOST": "0.0.0.0", "REDIS_URL": "redis://localhost:6379/1", "PLAYTEST_DATA_DIR": "/srv/data"])
    }
}
