import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The four engines a Playtest process runs on, opened from one configuration: SQL, blobs, live
/// state and the job queue (which lives in SQL). Embedded default or scale-out, the rest of the
/// code sees the same protocols.
public final class PlaytestEngines: Sendable {
    public let configuration: PlaytestConfiguration
    public let sql: SQLEngine
    public let blobs: any BlobStore
    public let live: any LiveStore
    public let queue: JobQueue
    public let workers: WorkerRegistry
    private let httpClient: HTTPClient?
    private let listener: Task<Void, Never>?

    private init(
        configuration: PlaytestConfiguration, sql: SQLEngine, blobs: any BlobStore, live: any LiveStore,
        queue: JobQueue, httpClient: HTTPClient?, listener: Task<Void, Never>?
    ) {
        self.configuration = configuration
        self.sql = sql
        self.blobs = blobs
        self.live = live
        self.queue = queue
        self.workers = WorkerRegistry(sql: sql, clock: queue.clock)
        self.httpClient = httpClient
        self.listener = listener
    }

    /// Opens every engine and checks that each answers. `migrate` runs pending migrations first (the embedded default
    /// always does); otherwise the schema must be this binary's, or opening fails with a ``SchemaError`` that names
    /// the version found, the version needed and `playtest migrate`.
    public static func open(
        _ configuration: PlaytestConfiguration, migrate: Bool, logger: Logger,
        retry: RetryPolicy = RetryPolicy(), clock: any JobClock = SystemJobClock()
    ) async throws -> PlaytestEngines {
        let sql = try await SQLEngine.open(configuration.sql, logger: logger)
        var httpClient: HTTPClient?
        do {
            if migrate { try await sql.migrate() } else { try await sql.requireCurrentSchema() }
            var blobs: any BlobStore
            switch configuration.blobs {
            case .folder(let path):
                blobs = try FolderBlobStore(root: path)
            case .s3(let settings):
                // AsyncHTTPClient keeps retrying a refused connection until its connect timeout (10 s by default):
                // an S3 that is down made every upload wait that long for its 503.
                var http = HTTPClient.Configuration()
                http.timeout.connect = .seconds(3)
                let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: http)
                httpClient = client
                let s3 = try S3BlobStore(
                    endpoint: settings.endpoint, bucket: settings.bucket, region: settings.region,
                    accessKey: settings.accessKey, secretKey: settings.secretKey, httpClient: client)
                try await s3.createBucketIfMissing()
                blobs = s3
            }
            blobs = TimedBlobStore(base: blobs)
            try await blobs.ping()

            let live: any LiveStore
            switch configuration.live {
            case .memory:
                live = MemoryLiveStore()
            case .redis(let url):
                live = try RedisLiveStore(url: url, keyPrefix: configuration.livePrefix, logger: logger)
                do {
                    try await live.ping()
                } catch {
                    await live.shutdown()
                    throw StorageError.unreachable(engine: "redis", message: "REDIS_URL answered no PING: \(error)")
                }
            }

            let wakeups = JobWakeups()
            let queue = JobQueue(sql: sql, clock: clock, retry: retry, wakeups: wakeups)
            var listener: Task<Void, Never>?
            if let postgres = sql.postgresConfiguration {
                let jobListener = JobListener(configuration: postgres, wakeups: wakeups, logger: logger)
                listener = Task { await jobListener.run() }
            }
            return PlaytestEngines(
                configuration: configuration, sql: sql, blobs: blobs, live: live, queue: queue,
                httpClient: httpClient, listener: listener)
        } catch {
            await sql.shutdown()
            try? await httpClient?.shutdown()
            throw error
        }
    }

    public func shutdown() async {
        listener?.cancel()
        await live.shutdown()
        try? await httpClient?.shutdown()
        await sql.shutdown()
    }
}
