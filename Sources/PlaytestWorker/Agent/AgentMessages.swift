import PlaytestCore

/// An agent's messages, in order. The stdout reader hands them over one pipe read at a time (a batch
/// of up to a few hundred lines), so the task iterating them wakes once per batch rather than once per
/// line; iterating yields them one by one.
public struct AgentMessages: AsyncSequence, Sendable {
    public typealias Element = AgentMessage

    let batches: AsyncThrowingStream<[AgentMessage], any Error>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var batches: AsyncThrowingStream<[AgentMessage], any Error>.AsyncIterator
        var batch: [AgentMessage] = []
        var index = 0

        public mutating func next() async throws -> AgentMessage? {
            while index == batch.count {
                guard let next = try await batches.next() else { return nil }
                batch = next
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(batches: batches.makeAsyncIterator())
    }
}
