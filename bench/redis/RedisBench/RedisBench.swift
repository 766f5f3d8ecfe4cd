// Pipelined SET/GET throughput of RedisClient, shaped like `redis-benchmark -P <pipeline> -c <clients>`:
// `clients` concurrent callers, each sending batches of `pipeline` commands through
// `RedisClient.pipeline` (one write per batch) until `requests` commands of each kind are done.
//
// Usage: RedisBench <redis-url> [requests] [pipeline] [clients] [event-loop-threads]
// Prints one line per test: `SET <ops/s>` and `GET <ops/s>`.
import NIOCore
import NIOPosix
import RedisClient

@main
struct RedisBench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let url = arguments.first else {
            print("usage: RedisBench <redis-url> [requests=1000000] [pipeline=16] [clients=50] [event-loop-threads=cores]")
            return
        }
        let values = arguments.dropFirst().compactMap { Int($0) }
        let requests = values.count > 0 ? values[0] : 1_000_000
        let pipeline = values.count > 1 ? values[1] : 16
        let clients = values.count > 2 ? values[2] : 50
        // Default: the group the product uses (MultiThreadedEventLoopGroup.singleton, one thread
        // per core). redis-benchmark itself is single-threaded.
        let threads = values.count > 3 ? values[3] : System.coreCount
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: threads)

        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = clients
        configuration.commandTimeout = .seconds(30)
        let client = RedisClient(configuration: configuration, eventLoopGroup: eventLoopGroup)
        // Open the connections before timing, as redis-benchmark does.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients { group.addTask { try await client.ping() } }
            try await group.waitForAll()
        }

        // Same key and 3-byte value as redis-benchmark's defaults (-d 3, no -r).
        let key = "key:__rand_int__"
        for test in ["SET", "GET"] {
            let opsPerSecond = try await measure(client: client, requests: requests, pipeline: pipeline, clients: clients) {
                test == "SET" ? RESPCommand("SET", key, "xxx") : RESPCommand("GET", key)
            }
            print("\(test) \(Int(opsPerSecond.rounded()))")
        }
        await client.shutdown()
        try await eventLoopGroup.shutdownGracefully()
    }

    static func measure(
        client: RedisClient,
        requests: Int,
        pipeline: Int,
        clients: Int,
        command: @escaping @Sendable () -> RESPCommand
    ) async throws -> Double {
        let batches = requests / pipeline
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<clients {
                let share = batches / clients + (worker < batches % clients ? 1 : 0)
                group.addTask {
                    for _ in 0..<share {
                        var commands: [RESPCommand] = []
                        commands.reserveCapacity(pipeline)
                        for _ in 0..<pipeline { commands.append(command()) }
                        let replies = try await client.pipeline(commands)
                        if let failure = replies.first(where: { $0.errorMessage != nil }) {
                            throw RedisServerError(message: failure.errorMessage ?? "", command: "benchmark")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(batches * pipeline) / seconds
    }
}
