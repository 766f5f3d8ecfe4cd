// Pipelined SET/GET throughput of RedisClient, shaped like `redis-benchmark -P <pipeline> -c <clients>`:
// `clients` concurrent callers, each sending batches of `pipeline` commands through
// `RedisClient.pipeline` (one write per batch) until `requests` commands of each kind are done.
//
// Usage: RedisBench <redis-url> [requests] [pipeline] [clients] [event-loop-threads]
// Then the same with the batches chained on the event loops (`EventLoopClient`).
// Prints one line per test and driver: `SET-async <ops/s>`, `GET-async`, `SET-eventloop`, `GET-eventloop`.
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
        let commands: [(String, @Sendable () -> RESPCommand)] = [
            ("SET", { RESPCommand("SET", key, "xxx") }),
            ("GET", { RESPCommand("GET", key) }),
        ]
        for (test, command) in commands {
            let opsPerSecond = try await measure(client: client, requests: requests, pipeline: pipeline, clients: clients, command: command)
            print("\(test)-async \(Int(opsPerSecond.rounded()))")
        }

        var connections: [RedisConnection] = []
        for _ in 0..<clients {
            connections.append(try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoopGroup.next()))
        }
        for (test, command) in commands {
            let opsPerSecond = try await measureOnEventLoops(connections: connections, requests: requests, pipeline: pipeline, command: command)
            print("\(test)-eventloop \(Int(opsPerSecond.rounded()))")
        }
        for connection in connections { await connection.close() }
        await client.shutdown()
        try await eventLoopGroup.shutdownGracefully()
    }

    static func measureOnEventLoops(
        connections: [RedisConnection],
        requests: Int,
        pipeline: Int,
        command: @escaping @Sendable () -> RESPCommand
    ) async throws -> Double {
        let batches = requests / pipeline
        let start = ContinuousClock.now
        let runs = connections.enumerated().map { index, connection in
            let share = batches / connections.count + (index < batches % connections.count ? 1 : 0)
            return EventLoopClient(connection: connection, batches: share, pipeline: pipeline, command: command).run()
        }
        for run in runs { try await run.get() }
        return Double(batches * pipeline) / seconds(since: start)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func measure(
        client: RedisClient,
        requests: Int,
        pipeline: Int,
        clients: Int,
        command: @escaping @Sendable () -> RESPCommand
    ) async throws -> Double {
        let batches = requests / pipeline
        let start = ContinuousClock.now
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
        return Double(batches * pipeline) / seconds(since: start)
    }
}
