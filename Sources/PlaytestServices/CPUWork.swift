import Foundation

/// Runs CPU-heavy work — reading and summarising a WAD, parsing and analysing a map, planning its progression: up to
/// seconds — on a thread of its own, off Swift's cooperative pool. That pool has one thread per core; a few uploads
/// analysed on it at once starved everything else a server does (on 2 cores, WebSocket handshakes through nginx went
/// unanswered for 10–30 s during the chaos test's four concurrent 27 MB uploads).
enum CPUWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}
