import NIOCore
import RedisClient

/// The same workload driven from the event loops instead of Swift tasks: each client owns one
/// `RedisConnection` and chains its next batch in the previous batch's completion, as
/// redis-benchmark's clients do in its event loop. Measures the protocol core without the
/// async/await and pool layers.
final class EventLoopClient: @unchecked Sendable {
    // Only touched on `connection.channel.eventLoop`.
    private let connection: RedisConnection
    private let pipeline: Int
    private let command: @Sendable () -> RESPCommand
    private var remaining: Int
    private let done: EventLoopPromise<Void>

    init(connection: RedisConnection, batches: Int, pipeline: Int, command: @escaping @Sendable () -> RESPCommand) {
        self.connection = connection
        self.pipeline = pipeline
        self.command = command
        self.remaining = batches
        self.done = connection.channel.eventLoop.makePromise(of: Void.self)
    }

    func run() -> EventLoopFuture<Void> {
        connection.channel.eventLoop.execute { self.next() }
        return done.futureResult
    }

    private func next() {
        guard remaining > 0 else {
            done.succeed(())
            return
        }
        remaining -= 1
        var commands: [RESPCommand] = []
        commands.reserveCapacity(pipeline)
        for _ in 0..<pipeline { commands.append(command()) }
        connection.sendBatch(commands, timeout: .seconds(30)).whenComplete { result in
            switch result {
            case .success(let replies):
                if let failure = replies.first(where: { $0.errorMessage != nil }) {
                    self.done.fail(RedisServerError(message: failure.errorMessage ?? "", command: "benchmark"))
                } else {
                    self.next()
                }
            case .failure(let error):
                self.done.fail(error)
            }
        }
    }
}
