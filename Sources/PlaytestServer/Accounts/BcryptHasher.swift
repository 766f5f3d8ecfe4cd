import PlaytestServices
import Vapor

/// bcrypt (Vapor's) at the configured cost, off the event loops: a hash at cost 12 takes a quarter of a second.
public struct BcryptHasher: PlaytestServices.PasswordHasher {
    let cost: Int
    let threadPool: NIOThreadPool

    public init(cost: Int, threadPool: NIOThreadPool = .singleton) {
        self.cost = cost
        self.threadPool = threadPool
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }
}
