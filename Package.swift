// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Playtest",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "playtest", targets: ["Playtest"]),
        .library(name: "PlaytestCore", targets: ["PlaytestCore"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0" ..< "5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.30.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
    ],
    targets: [
        .target(name: "PlaytestCore", swiftSettings: strict),
        .target(
            name: "RedisClient",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PlaytestStorage",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "PlaytestCore",
                "RedisClient",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Seed 001's service layer: the use cases, one folder per domain, built once from the engines (`Services`).
        .target(
            name: "PlaytestServices",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "PlaytestCore",
                "PlaytestStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PlaytestWorker",
            dependencies: [
                "PlaytestCore",
                "PlaytestServices",
                "PlaytestStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "PlaytestServer",
            dependencies: [
                "PlaytestCore",
                "PlaytestServices",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "Playtest",
            dependencies: [
                "PlaytestServer",
                "PlaytestWorker",
                "PlaytestServices",
                "PlaytestStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // What the test targets share: polling with a deadline, a private redis-server, private databases.
        .target(
            name: "PlaytestTestSupport",
            dependencies: ["PlaytestStorage", .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(name: "PlaytestCoreTests", dependencies: ["PlaytestCore", "PlaytestTestSupport"], swiftSettings: strict),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "PlaytestTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PlaytestStorageTests",
            dependencies: [
                "PlaytestStorage", "RedisClient", "QueueProbe", "PlaytestTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PlaytestServicesTests",
            dependencies: ["PlaytestServices", "PlaytestStorage", "PlaytestCore", "PlaytestTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PlaytestWorkerTests",
            dependencies: [
                "PlaytestWorker", "PlaytestServices", "PlaytestStorage", "PlaytestCore", "WorkerProbe", "PlaytestTestSupport",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks (bench/<area>/run.sh builds them in release mode and runs them beside their references).
        .executableTarget(name: "MapBench", dependencies: ["PlaytestCore"], path: "bench/maps/MapBench", swiftSettings: strict),
        .executableTarget(name: "BlobBench", dependencies: ["PlaytestStorage"], path: "bench/blobs/BlobBench", swiftSettings: strict),
        .executableTarget(
            name: "RedisBench",
            dependencies: ["RedisClient", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "bench/redis/RedisBench", swiftSettings: strict
        ),
        .executableTarget(name: "IngestBench", dependencies: ["PlaytestStorage", "PlaytestCore"], path: "bench/ingest/IngestBench", swiftSettings: strict),
        .executableTarget(name: "PlannerBench", dependencies: ["PlaytestCore"], path: "bench/progression/PlannerBench", swiftSettings: strict),
        .executableTarget(
            name: "AuthBench", dependencies: ["PlaytestServer", "PlaytestServices", "PlaytestStorage", .product(name: "Logging", package: "swift-log")],
            path: "bench/accounts/AuthBench", swiftSettings: strict
        ),
        .executableTarget(name: "TelemetryBench", dependencies: ["PlaytestCore"], path: "bench/telemetry/TelemetryBench", swiftSettings: strict),
        // A small process the queue tests spawn (races across processes, SIGKILL rescue) and the queue benchmark runs.
        .executableTarget(
            name: "QueueProbe",
            dependencies: ["PlaytestStorage", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/QueueProbe",
            swiftSettings: strict
        ),
        // A worker process the run tests spawn and SIGKILL mid-run (crash and rescue).
        .executableTarget(
            name: "WorkerProbe",
            dependencies: ["PlaytestWorker", "PlaytestServices", "PlaytestStorage"],
            path: "Tests/WorkerProbe",
            swiftSettings: strict
        ),
        .testTarget(
            name: "PlaytestServerTests",
            dependencies: [
                "PlaytestServer", "PlaytestServices", "PlaytestStorage", "PlaytestWorker", "PlaytestTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
    ]
)
